"""Alerts for cron: overdue episodes, the digest each channel gets, and the channels themselves
(stdout, email, webhook).
"""
