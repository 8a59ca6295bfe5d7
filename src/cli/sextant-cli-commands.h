#pragma once

/* One entry point per subcommand; argv[0] is the subcommand's name. */

G_BEGIN_DECLS

/* Foundation */
/* Analytics */
int sextant_cli_risk_main     (int argc, char **argv);
int sextant_cli_optimize_main (int argc, char **argv);
int sextant_cli_frontier_main (int argc, char **argv);
int sextant_cli_backtest_main (int argc, char **argv);
/* Bedrock */
/* Market data */

G_END_DECLS
