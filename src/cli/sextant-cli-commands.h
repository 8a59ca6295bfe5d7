#pragma once

/* One entry point per subcommand; argv[0] is the subcommand's name. */

G_BEGIN_DECLS

/* Foundation */
/* Analytics */
/* Bedrock */
int sextant_cli_ask_main    (int argc, char **argv);
int sextant_cli_models_main (int argc, char **argv);
/* Market data */

G_END_DECLS
