/* config/: accounts and settings, read from a GKeyFile.
 *
 *   conf.c          load the file, check every value while building the
 *                   structs below; every problem as FILE:LINE: key: message
 *   conf_lines.c    map (group, key) to the line it stands on
 *   conf_private.h  what conf.c and conf_lines.c share
 *   secret.c        passwords and OAuth tokens (password_command, ...)
 *   write.c         a new configuration file (the first-run setup)
 *   autoconfig.c    provider settings in Mozilla's config-v1.1.xml format
 *                   (autoconfig.h), autoconfig_builtin.c the built-in ones
 *
 * File format (see doc/postie.conf.5):
 *   [general]         settings for the whole program
 *   [account NAME]    one group per account
 *   [filter NAME]     rules that sort fetched mail, first match wins
 *   [keys]            key bindings for the screen (action = key ...)
 *   [colors]          colours for the screen (element = fg bg)
 */
#ifndef POSTIE_CONF_H
#define POSTIE_CONF_H

#include <glib.h>

typedef enum {
    SECURITY_TLS,       /* TLS from the first byte (POP3S 995, SMTPS 465) */
    SECURITY_STARTTLS,  /* plain connect, then STLS/STARTTLS, required */
    SECURITY_NONE,      /* no TLS at all: only on explicit request */
} Security;

typedef enum {
    ATTACH_ENCODING_MIME,
    ATTACH_ENCODING_UUENCODE,
} AttachEncoding;

/* One server an account talks to (its POP3 or its SMTP server). */
typedef struct {
    char *host;
    guint16 port;          /* defaults: POP3 995/110, SMTP 465/587 */
    Security security;     /* default: tls for POP3, starttls for SMTP */
    char *user;            /* default: the account's address */
    char *auth;            /* mechanism name, or "auto" (the default) */
    char *ca_file;         /* NULL: the system CA store */
    char *tls_fingerprint; /* pinned SHA-256 of the certificate, hex with
                              or without colons, lower case; or NULL */
    gboolean password;     /* the file holds a password for this server
                              (under password_key): conf_server_secret()
                              reads it from there each time it is needed,
                              so it is never kept in the parsed config */
    char *password_key;    /* "password" or "smtp_password", or NULL */
    char *password_command;/* argv string run without a shell, or NULL */
} ServerConf;

/* How "postie oauth login/token" gets tokens for an account (oauth/).
 * NULL fields fall back to the provider's preset. */
typedef struct {
    char *provider;        /* microsoft | microsoft-organizations | google */
    char *client_id;       /* the registered application's id */
    char *client_secret;   /* only for providers that want one (Google) */
    char *scope;           /* space-separated */
    char *flow;            /* device | browser */
    char *device_url;      /* endpoints (override the preset's) */
    char *authorize_url;
    char *token_url;
    char *refresh_token_command;        /* prints the stored refresh token */
    char *refresh_token_store_command;  /* stores the one on its stdin */
} OAuthConf;

typedef struct {
    char *id;              /* NAME from the group "[account NAME]" */
    char *conf_path;       /* the file and group it comes from (a */
    char *conf_group;      /* password is read from there on demand) */
    char *real_name;       /* "name": shown in From */
    char *address;         /* "address": user@example.org */
    gboolean is_default;   /* "default": identity used for new mail */

    ServerConf pop3;
    ServerConf smtp;
    gboolean allow_plaintext_password;  /* send secrets over SECURITY_NONE */
    char *oauth_token_command;          /* for XOAUTH2 / OAUTHBEARER */
    OAuthConf oauth;                    /* for "postie oauth" (oauth/) */
    int timeout;                        /* seconds for connect and reads */

    /* fetching */
    gboolean fetch;                /* include in "fetch all" (default true) */
    char *inbox;                   /* folder for fetched mail: "Inbox" */
    gboolean leave_on_server;      /* default TRUE */
    int delete_after_days;         /* 0: never */
    gboolean delete_when_deleted;  /* expunged here -> DELE there */
    gboolean headers_only;         /* TOP n 0 for new mail */
    guint64 size_limit;            /* bytes; larger mail: headers only; 0 = none */

    /* sending */
    AttachEncoding attachment_encoding;
    char *signature_file;
    char *sent_folder;             /* default "Sent" */

    /* signing and encryption (mime/crypto.h) */
    gboolean crypt_sign;                /* sign new mail by default */
    gboolean crypt_encrypt_if_possible; /* encrypt when every recipient has a key */
    char *pgp_key;                      /* OpenPGP key to sign with, or NULL: address */
    char *smime_key;                    /* S/MIME certificate, or NULL: address */
} Account;

typedef enum {
    FILTER_CONTAINS,   /* case-insensitive substring */
    FILTER_MATCHES,    /* GRegex, case-insensitive unless the pattern says */
} FilterKind;

typedef struct {
    char *id;          /* NAME from "[filter NAME]" */
    char *account;     /* only for mail fetched by this account, or NULL */
    char *header;      /* From, To, Cc, Delivered-To, List-Id, ... */
    FilterKind kind;
    char *pattern;
    GRegex *regex;     /* compiled when kind == FILTER_MATCHES */
    char *folder;      /* destination folder name */
} Filter;

typedef struct {
    char *path;                /* the file this came from */
    char *mail_dir;            /* folder directory, ~ expanded */
    char *editor;              /* NULL: $VISUAL, $EDITOR, then vi */
    int check_interval;        /* minutes between automatic fetches; 0 off */
    char *html_converter;      /* argv string, e.g. "w3m -dump -T text/html" */
    char *download_dir;        /* default directory for saved attachments */
    char *sort;                /* date | sender | subject | size */
    gboolean threads;
    char *preview;             /* below | right | off */
    int preview_size;          /* percent of the screen */
    gboolean folder_list;
    gboolean color;
    gboolean confirm_delete;
    int lock_timeout;          /* seconds to wait for a folder lock */
    char *trash;               /* folder deleted mail moves to; NULL: none */
    char *purge;               /* "delete": ask-yes | ask-no | yes | no,
                                  mutt's quadoption for expunging */
    char *new_mail;            /* mark | bell | both | off */
    int preview_mark_read;     /* seconds shown in the preview; 0: never */

    GPtrArray *accounts;       /* Account*, in file order */
    GPtrArray *filters;        /* Filter*, in file order */
    GHashTable *keys;          /* action -> key spec (strings), from [keys] */
    GHashTable *colors;        /* element -> "fg bg", from [colors] */

    GKeyFile *keyfile;         /* the parsed file, or NULL */
    GHashTable *lines;         /* private to config/: where keys stand */
} PostieConfig;

typedef enum {
    CONF_WARNING,
    CONF_ERROR,
} ConfSeverity;

typedef struct {
    ConfSeverity severity;
    char *file;
    int line;                  /* 0 when not tied to a line */
    char *key;                 /* NULL when not tied to a key */
    char *message;
} ConfProblem;

/* Load PATH (NULL: the default location).  Returns NULL with *error set
 * when the file cannot be read (POSTIE_ERROR_NOT_FOUND if it does not
 * exist) or does not parse.  Otherwise returns the configuration and, if
 * PROBLEMS is not NULL, a new array of ConfProblem* found by validation;
 * the configuration is usable only when none of them is an error. */
PostieConfig *conf_load(const char *path, GPtrArray **problems,
                        GError **error);
void conf_free(PostieConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PostieConfig, conf_free)

/* A configuration with defaults only and no accounts (for a first run). */
PostieConfig *conf_new_default(void);

gboolean conf_has_errors(GPtrArray *problems);
/* Whether S can be an account's address: the bare name@domain. */
gboolean conf_address_ok(const char *s);
/* Add a ConfProblem to PROBLEMS (an array freeing with conf_problem_free);
 * takes ownership of MESSAGE.  For checks made outside config/ (the
 * screen's [keys] and [colors]). */
void conf_problem_add(GPtrArray *problems, ConfSeverity severity,
                      const char *file, int line, const char *key,
                      char *message);
void conf_problem_free(gpointer problem);
/* "FILE:LINE: key: message" (parts left out when unknown). */
char *conf_problem_format(const ConfProblem *p);

/* The line (1-based) of KEY in GROUP, of GROUP's header when KEY is NULL,
 * or 0 when not found. */
int conf_line_of(const PostieConfig *cfg, const char *group, const char *key);

Account *conf_find_account(PostieConfig *cfg, const char *id);
Account *conf_default_account(PostieConfig *cfg);
/* The account whose address matches ADDR (case-insensitive), or NULL. */
Account *conf_account_for_address(PostieConfig *cfg, const char *addr);

/* The secret to log in to SERVER of ACCOUNT: password_command's first
 * output line, else the password, read again from the configuration file
 * (which must still be private).  Error (naming the account) when the
 * command fails, prints nothing, or no secret is configured.  Free the
 * result with secret_free().  From the first call on, the process makes
 * no core dump and cannot be inspected (secrets_protect_process). */
char *conf_server_secret(const Account *account, const ServerConf *server,
                         GError **error);
/* First output line of oauth_token_command (free with secret_free()).
 * When the command fails the error is POSTIE_ERROR_AUTH and says how to
 * log in again. */
char *conf_oauth_token(const Account *account, GError **error);
/* "to log in again run: postie oauth login ACCOUNT" (translated), for a
 * refused or missing OAuth token. */
char *conf_oauth_relogin_hint(const Account *account);
/* Run an argv string (split like a shell would, but run without one) and
 * return the first line of its standard output. WHAT names it in errors. */
char *conf_run_for_line(const char *command, const char *what, GError **error);

/* An https:// URL, or http:// to this machine (127.0.0.1, localhost,
 * ::1) only; no user:password part.  For the OAuth endpoints. */
gboolean conf_url_allowed(const char *url);

/* "tls" | "starttls" | "none", as security_from_string() reads it. */
const char *security_name(Security s);
/* Parse "tls" | "starttls" | "none" (FALSE if unknown). */
gboolean security_from_string(const char *s, Security *out);

/* ---- writing a new configuration (write.c) ---------------------------- */

/* The one account of a new configuration file, as the first-run setup
 * asks for it: strings as typed, NULL or "" leaves a key out. */
typedef struct {
    const char *name, *address;
    const char *pop3_host, *pop3_port, *pop3_security, *user;
    const char *password, *password_command;   /* the command wins */
    gboolean leave_on_server;
    const char *delete_after_days;   /* only with leave_on_server; "0": never */
    const char *smtp_host, *smtp_port, *smtp_security;
    /* An untrusted certificate the user accepted in the login test: a CA
     * file to trust, or the certificate's SHA-256 fingerprint to pin. */
    const char *pop3_ca_file, *pop3_fingerprint;
    const char *smtp_ca_file, *smtp_fingerprint;
} ConfNewAccount;

/* The account's name in the file ("[account ID]"): the first label of
 * the address's domain ("example" for a@example.org), "mail" without. */
char *conf_new_account_id(const char *address);

/* Write PATH as a new configuration with ACCOUNT as its default account:
 * GKeyFile syntax, mode 0600 (it may hold a password), replaced
 * atomically; the directory is made (0700) when missing. */
gboolean conf_write_new(const char *path, const ConfNewAccount *account,
                        GError **error);

#endif
