"""Operations: health, Prometheus metrics and log formatting."""
