#define G_LOG_DOMAIN "sextant-workspace-window"

#include "config.h"

#include "sextant-window-helpers.h"
#include "sextant-workspace-window.h"

typedef struct
{
  SextantWorkspace *workspace;
  GSettings        *settings;
  gboolean          watching;
} SextantWorkspaceWindowPrivate;

enum { PROP_0, PROP_WORKSPACE, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_TYPE_WITH_PRIVATE (SextantWorkspaceWindow, sextant_workspace_window,
                            ADW_TYPE_APPLICATION_WINDOW)

static void
demo_loaded_cb (SextantWorkspaceWindow *self)
{
  SextantWorkspaceWindowPrivate *priv = sextant_workspace_window_get_instance_private (self);

  if (sextant_workspace_get_demo_loaded (priv->workspace) &&
      SEXTANT_WORKSPACE_WINDOW_GET_CLASS (self)->data_changed != NULL)
    SEXTANT_WORKSPACE_WINDOW_GET_CLASS (self)->data_changed (self);
}

/* The portfolios are the user's book, shared with the CLI: what `sextant-cli portfolio …`
 * changed reaches the windows as the store's changed signal, every second while a window is
 * open (the workspace's one timer) and at once when a window is focused again. */
static void
is_active_cb (SextantWorkspaceWindow *self)
{
  SextantWorkspaceWindowPrivate *priv = sextant_workspace_window_get_instance_private (self);

  if (gtk_window_is_active (GTK_WINDOW (self)) && priv->workspace != NULL)
    sextant_workspace_check_portfolios (priv->workspace);
}

static void
sextant_workspace_window_constructed (GObject *object)
{
  SextantWorkspaceWindow *self = (SextantWorkspaceWindow *)object;
  SextantWorkspaceWindowPrivate *priv = sextant_workspace_window_get_instance_private (self);
  const char *prefix = SEXTANT_WORKSPACE_WINDOW_GET_CLASS (self)->settings_prefix;

  G_OBJECT_CLASS (sextant_workspace_window_parent_class)->constructed (object);

  g_assert (SEXTANT_IS_WORKSPACE (priv->workspace));

  if (prefix != NULL)
    sextant_window_bind_size (GTK_WINDOW (self), priv->settings, prefix);
  g_signal_connect_object (priv->workspace, "notify::demo-loaded",
                           G_CALLBACK (demo_loaded_cb), self, G_CONNECT_SWAPPED);
  demo_loaded_cb (self);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (is_active_cb), NULL);
  sextant_workspace_hold_portfolio_watch (priv->workspace);
  priv->watching = TRUE;
}

static void
sextant_workspace_window_dispose (GObject *object)
{
  SextantWorkspaceWindow *self = (SextantWorkspaceWindow *)object;
  SextantWorkspaceWindowPrivate *priv = sextant_workspace_window_get_instance_private (self);

  if (priv->watching)
    sextant_workspace_release_portfolio_watch (priv->workspace);
  priv->watching = FALSE;
  g_clear_object (&priv->workspace);
  g_clear_object (&priv->settings);

  G_OBJECT_CLASS (sextant_workspace_window_parent_class)->dispose (object);
}

static void
sextant_workspace_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  SextantWorkspaceWindow *self = SEXTANT_WORKSPACE_WINDOW (object);
  SextantWorkspaceWindowPrivate *priv = sextant_workspace_window_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, priv->workspace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_workspace_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  SextantWorkspaceWindow *self = SEXTANT_WORKSPACE_WINDOW (object);
  SextantWorkspaceWindowPrivate *priv = sextant_workspace_window_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      priv->workspace = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_workspace_window_class_init (SextantWorkspaceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sextant_workspace_window_constructed;
  object_class->dispose = sextant_workspace_window_dispose;
  object_class->get_property = sextant_workspace_window_get_property;
  object_class->set_property = sextant_workspace_window_set_property;

  properties [PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, SEXTANT_TYPE_WORKSPACE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sextant_workspace_window_init (SextantWorkspaceWindow *self)
{
  SextantWorkspaceWindowPrivate *priv = sextant_workspace_window_get_instance_private (self);

  priv->settings = g_settings_new (APP_ID);
}

SextantWorkspace *
sextant_workspace_window_get_workspace (SextantWorkspaceWindow *self)
{
  SextantWorkspaceWindowPrivate *priv = sextant_workspace_window_get_instance_private (self);

  g_return_val_if_fail (SEXTANT_IS_WORKSPACE_WINDOW (self), NULL);

  return priv->workspace;
}

GSettings *
sextant_workspace_window_get_settings (SextantWorkspaceWindow *self)
{
  SextantWorkspaceWindowPrivate *priv = sextant_workspace_window_get_instance_private (self);

  g_return_val_if_fail (SEXTANT_IS_WORKSPACE_WINDOW (self), NULL);

  return priv->settings;
}

/**
 * sextant_workspace_window_set_menu_button:
 * @self: a window
 * @button: its header bar's menu button
 *
 * Gives @button the application's primary menu (ui/gtk/menus.ui).
 */
void
sextant_workspace_window_set_menu_button (SextantWorkspaceWindow *self,
                                          GtkMenuButton          *button)
{
  g_return_if_fail (SEXTANT_IS_WORKSPACE_WINDOW (self));

  sextant_window_attach_primary_menu (button, GTK_WINDOW (self));
}
