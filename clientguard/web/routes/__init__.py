"""One module per page: portfolio, client, upload, presale/contract forms, team, login."""
