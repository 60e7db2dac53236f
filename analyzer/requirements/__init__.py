"""After-sales business-visitor requirements: catalogue, deal facts, verdicts, dispatch check."""
