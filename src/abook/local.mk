# src/abook: Address book: vCard storage, lookup and completion, import and export.
