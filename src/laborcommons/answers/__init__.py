"""Safe answers: approved questions run where the data lives; only safe aggregates leave."""
