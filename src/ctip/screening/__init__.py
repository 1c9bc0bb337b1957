"""Victim identification: screening, non-punishment flags, mass screening, referral lists."""
