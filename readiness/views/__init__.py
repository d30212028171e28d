"""Read models of the dashboard: every figure, list and table its pages lay out.

Pages hold no business rules: they pick what to show and call these functions,
which take a session (or frames already read) and return DataFrames or plain values.
"""
