# src/mime: GMime glue: view a message, attachments, uuencode, build outgoing mail.
