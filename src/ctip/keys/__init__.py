"""Key rotation and key status: re-encrypting and re-indexing stored values under new keys."""
