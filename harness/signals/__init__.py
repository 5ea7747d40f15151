"""Evidence beyond the fix: how a submission behaves where the hidden datasets cannot tell."""
