#pragma once

/* One entry point per subcommand; argv[0] is the subcommand's name. */

G_BEGIN_DECLS

/* Foundation */
/* Analytics */
/* Bedrock */
/* Market data */
int sextant_cli_quote_main     (int argc, char **argv);
int sextant_cli_history_main   (int argc, char **argv);
int sextant_cli_import_main    (int argc, char **argv);
int sextant_cli_portfolio_main (int argc, char **argv);

G_END_DECLS
