"""Victim support plans: services by HTCDS ``spl_Type`` with follow-ups, case notes shared by
consent, tasks with due dates, and reintegration and repatriation steps on the case timeline."""
