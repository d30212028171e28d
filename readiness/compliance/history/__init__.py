"""Days out of compliance over a period, judged for every day at once."""
