"""The portal of sales reps and managers: "Mon portefeuille", customers, documents, sales."""
