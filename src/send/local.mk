# src/send: Outbox -> SMTP (libesmtp) -> Sent.
