#define G_LOG_DOMAIN "sextant-portfolio-choices"

#include "config.h"

#include <string.h>

#include "sextant-portfolio-choices.h"

/* The portfolios the portfolio window and the risk dashboard offer: the stored ones (the user's
 * book, shared with the CLI and the assistant), and before them the bundled demo portfolio as
 * long as it is not stored itself. Each window keeps its own GtkStringList of the names and
 * updates it in place when the workspace's portfolio store says something changed, so that a
 * dropdown keeps its place and only the row that changed is redrawn. */

/**
 * sextant_portfolio_choices_get_store:
 * @workspace: a workspace
 *
 * Returns: (transfer none) (nullable): the workspace's shared portfolio store, opening the
 *   database if needed; %NULL when it cannot be opened (the demo portfolio is still offered)
 */
SextantPortfolioStore *
sextant_portfolio_choices_get_store (SextantWorkspace *workspace)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);

  if (sextant_workspace_get_store (workspace) == NULL && !sextant_workspace_open_store (workspace, NULL))
    return NULL;

  return sextant_workspace_get_portfolios (workspace);
}

/**
 * sextant_portfolio_choices_list:
 * @workspace: a workspace with its demo data loaded
 * @extra: (nullable): another built-in choice, offered after the demo portfolio unless stored
 *
 * Returns: (transfer full): the demo portfolio's name unless it is stored, @extra, then the
 *   stored portfolios' names, sorted
 */
char **
sextant_portfolio_choices_list (SextantWorkspace *workspace,
                                const char       *extra)
{
  SextantPortfolioStore *store = sextant_portfolio_choices_get_store (workspace);
  SextantPortfolio *demo = sextant_workspace_get_portfolio (workspace);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) stored = NULL;
  g_autoptr(GError) error = NULL;

  if (store != NULL && (stored = sextant_portfolio_store_list_names (store, &error)) == NULL)
    g_warning ("The stored portfolios cannot be listed: %s", error->message);
  if (demo != NULL && (stored == NULL ||
                       !g_strv_contains ((const char * const *) stored, sextant_portfolio_get_name (demo))))
    g_strv_builder_add (builder, sextant_portfolio_get_name (demo));
  if (extra != NULL && (stored == NULL || !g_strv_contains ((const char * const *) stored, extra)))
    g_strv_builder_add (builder, extra);
  if (stored != NULL)
    g_strv_builder_addv (builder, (const char **) stored);

  return g_strv_builder_end (builder);
}

/**
 * sextant_portfolio_choices_load:
 * @workspace: a workspace
 * @name: a name from sextant_portfolio_choices_list()
 * @error: return location; %SEXTANT_STORE_ERROR_NOT_FOUND for a name neither stored nor the demo
 *
 * Returns: (transfer full): the stored portfolio of that name, else the demo portfolio
 */
SextantPortfolio *
sextant_portfolio_choices_load (SextantWorkspace  *workspace,
                                const char        *name,
                                GError           **error)
{
  SextantPortfolioStore *store = sextant_portfolio_choices_get_store (workspace);
  SextantPortfolio *demo = sextant_workspace_get_portfolio (workspace);
  g_autoptr(GError) local_error = NULL;
  SextantPortfolio *portfolio;

  g_return_val_if_fail (name != NULL, NULL);

  if (store != NULL && (portfolio = sextant_portfolio_store_load (store, name, &local_error)) != NULL)
    return portfolio;
  if (demo != NULL && g_str_equal (name, sextant_portfolio_get_name (demo)))
    return g_object_ref (demo);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND,
                 "No portfolio named “%s”", name);

  return NULL;
}

/**
 * sextant_portfolio_choices_update:
 * @list: the names shown
 * @names: the names to show
 *
 * Changes @list into @names in place: only the run between their common start and common end
 * is replaced, so a portfolio created, renamed or deleted touches its own rows alone.
 */
void
sextant_portfolio_choices_update (GtkStringList      *list,
                                  const char * const *names)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (list));
  guint n_new = g_strv_length ((char **) names);
  guint start = 0, end = 0;
  g_autoptr(GPtrArray) added = g_ptr_array_new ();

  g_return_if_fail (GTK_IS_STRING_LIST (list));

  while (start < n_old && start < n_new &&
         g_str_equal (gtk_string_list_get_string (list, start), names[start]))
    start++;
  while (end < n_old - start && end < n_new - start &&
         g_str_equal (gtk_string_list_get_string (list, n_old - 1 - end), names[n_new - 1 - end]))
    end++;
  if (start == n_old && start == n_new)
    return;
  for (guint i = start; i < n_new - end; i++)
    g_ptr_array_add (added, (gpointer) names[i]);
  g_ptr_array_add (added, NULL);
  gtk_string_list_splice (list, start, n_old - start - end, (const char * const *) added->pdata);
}

/**
 * sextant_portfolio_choices_find:
 * @list: a list of #GtkStringObject
 * @name: (nullable): a name
 *
 * Returns: the position of @name, or %GTK_INVALID_LIST_POSITION
 */
guint
sextant_portfolio_choices_find (GListModel *list,
                                const char *name)
{
  guint n = g_list_model_get_n_items (list);

  for (guint i = 0; name != NULL && i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (list, i);

      if (g_str_equal (gtk_string_object_get_string (item), name))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/**
 * sextant_portfolio_choices_get_name:
 * @dropdown: a dropdown over a #GtkStringList
 *
 * Returns: (nullable): the selected name
 */
const char *
sextant_portfolio_choices_get_name (GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}
