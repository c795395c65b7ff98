"""Reports over the stored history: response statistics, this month's usage, and evidence for
a harassment report.
"""
