"""Users, log-in, API tokens, roles and the scope each role sees."""
