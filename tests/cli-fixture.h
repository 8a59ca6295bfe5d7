#pragma once

#include <gio/gio.h>

#include "fake-bedrock-server.h"

G_BEGIN_DECLS

/* The example credentials of the SigV4 suite: the fake server checks signatures with them. */
#define CLI_FIXTURE_AKID "AKIDEXAMPLE"
#define CLI_FIXTURE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

/**
 * CliFixture:
 * @server: the fake Bedrock this process serves while the CLI runs
 * @cli_path: the built sextant-cli
 * @home: a fresh HOME (and database, cache) for each test
 * @out: stdout of the last run
 * @err: stderr of the last run
 * @status: exit status of the last run, -1 when killed by a signal
 */
typedef struct
{
  FakeBedrockServer *server;
  const char        *cli_path;
  char              *home;
  char              *out;
  char              *err;
  int                status;
} CliFixture;

void                 cli_fixture_setup        (CliFixture         *f,
                                               const char         *cli_path);
void                 cli_fixture_teardown     (CliFixture         *f);
GSubprocessLauncher *cli_fixture_new_launcher (CliFixture         *f,
                                               GSubprocessFlags    flags,
                                               gboolean            with_credentials,
                                               const char         *endpoint);
int                  cli_fixture_run          (CliFixture         *f,
                                               gboolean            with_credentials,
                                               const char         *endpoint,
                                               const char * const *args);

G_END_DECLS
