"""Outgoing text: templates, the guards (length, stale, replyable, take a breath, URL cost), and
the one Draft pipeline that a reply, a DM and a bulk row all go through.
"""
