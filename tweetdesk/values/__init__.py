"""Plain values every floor shares, and their written forms: durations ("15m"), ISO 8601
UTC times, a human's "tomorrow 9:00", and X's rules for text (weighted length, what X links).

The ground floor: nothing here imports another tweetdesk package.
"""
