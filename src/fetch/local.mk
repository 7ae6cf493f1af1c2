# src/fetch: POP3 account -> folders: what to download, filters, UIDL records, what to delete.
