"""Referrals between organisations, gated by the victim's consent."""
