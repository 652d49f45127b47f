"""Platform administration: the accounts list with masked phones and role scopes."""
