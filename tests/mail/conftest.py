from tests.support.smtp import smtp_down, smtp_sink

__all__ = ["smtp_down", "smtp_sink"]
