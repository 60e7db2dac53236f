"""The mention-status classifier: features, model, training."""
