"""The practice library's views, one module per concern; each stays thin and calls services."""
