"""Pure rules: dates, due and expiry status, slots in site time, day masks. No I/O."""
