/* Shared plumbing for the commands: config loading, options, errors. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "util/util.h"

void
cmd_print_error(const GError *error)
{
    fprintf(stderr, "postie: %s\n", error->message);
}

void
cmd_verrorf(const char *format, va_list ap)
{
    g_autofree char *msg = g_strdup_vprintf(format, ap);
    fprintf(stderr, "postie: %s\n", msg);
}

void
cmd_errorf(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    cmd_verrorf(format, ap);
    va_end(ap);
}

void
cmd_usage_error(const char *command, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    g_autofree char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    fprintf(stderr, "postie %s: %s\n", command, msg);
    fprintf(stderr, _("Try 'postie %s --help' for more information.\n"), command);
}

int
cmd_run_subcommand(CmdContext *ctx, const char *group, const CmdSub *subs, gsize n_subs,
                   void (*usage)(FILE *out), int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    for (gsize i = 0; i < n_subs; i++) {
        if (strcmp(argv[1], subs[i].name) != 0)
            continue;
        /* GOption names the command from argv[0] in its messages. */
        g_autofree char *name = g_strdup_printf("%s %s", group, subs[i].name);
        g_autofree char *prgname = g_strdup_printf("postie %s", name);
        g_set_prgname(prgname);
        g_autofree char **sub_argv = g_new0(char *, argc);
        sub_argv[0] = name;
        for (int k = 2; k < argc; k++)
            sub_argv[k - 1] = argv[k];
        return subs[i].func(ctx, argc - 1, sub_argv);
    }
    cmd_usage_error(group, _("unknown subcommand '%s'"), argv[1]);
    return EXIT_USAGE;
}

PostieConfig *
cmd_load_config(CmdContext *ctx)
{
    if (ctx->config)
        return ctx->config;

    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    PostieConfig *cfg = conf_load(ctx->config_path, &problems, &error);
    if (!cfg) {
        cmd_print_error(error);
        if (g_error_matches(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND))
            fprintf(stderr, _("postie: run 'postie' to set up an account, "
                              "or see postie.conf(5)\n"));
        return NULL;
    }
    for (guint i = 0; problems && i < problems->len; i++) {
        g_autofree char *line = conf_problem_format(problems->pdata[i]);
        fprintf(stderr, "%s\n", line);
    }
    if (conf_has_errors(problems)) {
        conf_free(cfg);
        return NULL;
    }
    store_set_default_lock_timeout(cfg->lock_timeout);
    ctx->config = cfg;
    return cfg;
}

gboolean
cmd_parse_options(int *argc, char ***argv, const GOptionEntry *entries,
                  const char *parameters, const char *summary)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GOptionContext) oc = g_option_context_new(parameters);
    g_option_context_set_translation_domain(oc, PACKAGE);
    if (summary)
        g_option_context_set_summary(oc, summary);
    g_option_context_add_main_entries(oc, entries, PACKAGE);
    if (!g_option_context_parse(oc, argc, argv, &error)) {
        const char *command = (*argv)[0];
        cmd_usage_error(command, "%s", error->message);
        return FALSE;
    }
    return TRUE;
}

char *
cmd_mail_dir(CmdContext *ctx)
{
    if (ctx->config)
        return g_strdup(ctx->config->mail_dir);

    const char *path = ctx->config_path;
    g_autofree char *def = paths_default_config_file();
    if (!path && !g_file_test(def, G_FILE_TEST_EXISTS))
        return paths_default_mail_dir();
    PostieConfig *cfg = cmd_load_config(ctx);
    return cfg ? g_strdup(cfg->mail_dir) : NULL;
}

char *
cmd_folder_path(CmdContext *ctx, const char *arg, GError **error)
{
    if (strchr(arg, '/'))
        return g_strdup(arg);
    g_autofree char *mail_dir = cmd_mail_dir(ctx);
    if (!mail_dir) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("no mail folder directory configured"));
        return NULL;
    }
    if (!store_ensure_default_folders(mail_dir, error))
        return NULL;
    return store_path_for(mail_dir, arg, error);
}
