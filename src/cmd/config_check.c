/* postie config check: print every problem in the configuration file. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/util.h"
#include "view/view.h"

int
cmd_config(CmdContext *ctx, int argc, char **argv)
{
    GOptionEntry entries[] = { { NULL } };
    if (!cmd_parse_options(&argc, &argv, entries, "check",
                           _("Check the configuration file and print every problem "
                             "as FILE:LINE: key: message.\nExits 0 only when there "
                             "is none.")))
        return EXIT_USAGE;
    if (argc != 2 || strcmp(argv[1], "check") != 0) {
        cmd_usage_error("config", argc < 2 ? _("missing subcommand (check)")
                                           : _("unknown subcommand"));
        return EXIT_USAGE;
    }

    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(ctx->config_path, &problems, &error);
    if (!cfg) {
        cmd_print_error(error);
        return EXIT_FAIL;
    }
    view_check_config(cfg, problems);   /* the screen's [keys] and [colors] */
    for (guint i = 0; i < problems->len; i++) {
        g_autofree char *line = conf_problem_format(problems->pdata[i]);
        printf("%s\n", line);
    }
    if (problems->len == 0) {
        printf(ngettext("%s: no problems found (%u account)\n",
                        "%s: no problems found (%u accounts)\n",
                        cfg->accounts->len),
               cfg->path, cfg->accounts->len);
        return EXIT_OK;
    }
    return EXIT_FAIL;
}
