#pragma once

#include <gio/gio.h>

#include "agent/sextant-conversation-store.h"
#include "agent/sextant-invocation-log.h"
#include "market/sextant-demo-set.h"
#include "market/sextant-portfolio.h"
#include "market/sextant-portfolio-store.h"
#include "analytics/sextant-price-series.h"
#include "analytics/sextant-price-table.h"
#include "base/sextant-secret-store.h"
#include "base/sextant-store.h"
#include "workspace/sextant-retention.h"
#include "workspace/sextant-backup.h"
#include "workspace/sextant-backup-schedule.h"
#include "workspace/sextant-export.h"
#include "workspace/sextant-store-encryption.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_WORKSPACE (sextant_workspace_get_type ())

G_DECLARE_FINAL_TYPE (SextantWorkspace, sextant_workspace, SEXTANT, WORKSPACE, GObject)

SextantWorkspace   *sextant_workspace_new                (void);
gboolean            sextant_workspace_load_demo          (SextantWorkspace  *self,
                                                          GError           **error);
void                sextant_workspace_load_demo_async    (SextantWorkspace  *self,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
gboolean            sextant_workspace_load_demo_finish   (SextantWorkspace  *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);
gboolean            sextant_workspace_get_demo_loaded    (SextantWorkspace  *self);
SextantDemoSet     *sextant_workspace_get_demo_set       (SextantWorkspace  *self);
gboolean            sextant_workspace_open_store         (SextantWorkspace  *self,
                                                          GError           **error);
gboolean            sextant_workspace_seed_store         (SextantStore      *store,
                                                          GError           **error);
SextantStore       *sextant_workspace_get_store          (SextantWorkspace  *self);
const GError       *sextant_workspace_get_store_error    (SextantWorkspace  *self);
SextantInvocationLog *sextant_workspace_get_invocation_log (SextantWorkspace *self);
SextantConversationStore *sextant_workspace_get_conversations (SextantWorkspace *self);
SextantPortfolioStore *sextant_workspace_get_portfolios (SextantWorkspace *self);
void                   sextant_workspace_check_portfolios (SextantWorkspace *self);
void                   sextant_workspace_hold_portfolio_watch (SextantWorkspace *self);
void                   sextant_workspace_release_portfolio_watch (SextantWorkspace *self);
SextantSecretStore *sextant_workspace_get_secret_store   (SextantWorkspace  *self);
SextantPriceSeries *sextant_workspace_get_index          (SextantWorkspace  *self);
SextantPriceTable  *sextant_workspace_get_stocks         (SextantWorkspace  *self);
SextantPortfolio   *sextant_workspace_get_portfolio      (SextantWorkspace  *self);
SextantEncryptionState sextant_workspace_get_encryption_state (SextantWorkspace *self);
void                sextant_workspace_encrypt_async      (SextantWorkspace          *self,
                                                          SextantEncryptionProgress  progress,
                                                          gpointer                   progress_data,
                                                          GCancellable              *cancellable,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
gboolean            sextant_workspace_encrypt_finish     (SextantWorkspace  *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);

void                sextant_workspace_apply_retention_async  (SextantWorkspace        *self,
                                                              const SextantRetention  *retention,
                                                              GAsyncReadyCallback      callback,
                                                              gpointer                 user_data);
gboolean            sextant_workspace_apply_retention_finish (SextantWorkspace        *self,
                                                              GAsyncResult            *result,
                                                              SextantRetentionReport  *report,
                                                              GError                 **error);

void                sextant_workspace_backup_async           (SextantWorkspace     *self,
                                                              const char           *path,
                                                              const char           *passphrase,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            sextant_workspace_backup_finish          (SextantWorkspace     *self,
                                                              GAsyncResult         *result,
                                                              JsonNode            **manifest,
                                                              GError              **error);
void                sextant_workspace_scheduled_backup_async (SextantWorkspace     *self,
                                                              const char           *folder,
                                                              guint                 keep,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            sextant_workspace_scheduled_backup_finish (SextantWorkspace    *self,
                                                              GAsyncResult         *result,
                                                              char                **written,
                                                              guint                *n_removed,
                                                              GError              **error);
void                sextant_workspace_restore_async          (SextantWorkspace     *self,
                                                              const char           *path,
                                                              const char           *passphrase,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            sextant_workspace_restore_finish         (SextantWorkspace     *self,
                                                              GAsyncResult         *result,
                                                              JsonNode            **manifest,
                                                              GError              **error);
void                sextant_workspace_export_async           (SextantWorkspace     *self,
                                                              const char           *path,
                                                              JsonNode             *settings,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            sextant_workspace_export_finish          (SextantWorkspace     *self,
                                                              GAsyncResult         *result,
                                                              SextantExportCounts  *counts,
                                                              GError              **error);

G_END_DECLS
