"""The municipal council's decisions: the register, and what each decision adopts or approves."""
