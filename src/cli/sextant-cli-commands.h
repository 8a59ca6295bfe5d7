#pragma once

/* One entry point per subcommand; argv[0] is the subcommand's name. */

G_BEGIN_DECLS

/* Foundation */
/* Analytics */
int sextant_cli_indicators_main (int argc, char **argv);
int sextant_cli_forecast_main   (int argc, char **argv);
int sextant_cli_scenarios_main  (int argc, char **argv);
/* Bedrock */
/* Market data */

G_END_DECLS
