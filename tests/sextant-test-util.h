#pragma once

#include <glib.h>

#include "sextant-core.h"

G_BEGIN_DECLS

char    *sextant_test_reference_path  (const char  *relative_path);
char    *sextant_test_output_path     (const char  *file_name);
char    *sextant_test_make_temp_dir   (void);
char    *sextant_test_use_own_database (void);
void     sextant_test_wait_for_keyring (SextantSecretStore *secrets);
JsonNode *sextant_test_invoke_tool    (SextantToolRegistry *registry,
                                       const char          *tool,
                                       JsonNode            *input,
                                       GError             **error);
gboolean sextant_test_close_rel       (double       actual,
                                       double       expected,
                                       double       rel_tol);
int      sextant_test_run_command     (const char * const *argv,
                                       const char * const *extra_env,
                                       const char  *stdin_text,
                                       char       **stdout_text,
                                       char       **stderr_text);
guint    sextant_test_watch_child     (GSubprocess        *process,
                                      gboolean           *timed_out);
int      sextant_test_run_in_env      (const char * const *argv,
                                       const char * const *env,
                                       char       **stdout_text,
                                       char       **stderr_text);
void     sextant_test_remove_temp_dir (const char  *dir);
gboolean sextant_test_close_mixed     (double       actual,
                                       double       expected,
                                       double       tol);
SextantWorkspace *sextant_test_load_demo_workspace (void);
void     sextant_test_put_par_curves  (SextantMarketCache *cache,
                                       gboolean            treasury,
                                       gboolean            ecb);

#define sextant_assert_close_rel(actual, expected, rel_tol)                                   \
  G_STMT_START {                                                                              \
    double __a = (actual), __e = (expected);                                                  \
    if (!sextant_test_close_rel (__a, __e, (rel_tol)))                                        \
      g_error ("%s:%d: %s = %.17g, expected %.17g (relative tolerance %g)", __FILE__,         \
               __LINE__, #actual, __a, __e, (double) (rel_tol));                              \
  } G_STMT_END

#define sextant_assert_close_mixed(actual, expected, tol)                                      \
  G_STMT_START {                                                                              \
    double __a = (actual), __e = (expected);                                                  \
    if (!sextant_test_close_mixed (__a, __e, (tol)))                                          \
      g_error ("%s:%d: %s = %.17g, expected %.17g (tolerance %g·max(1,|e|))", __FILE__,       \
               __LINE__, #actual, __a, __e, (double) (tol));                                  \
  } G_STMT_END

G_END_DECLS
