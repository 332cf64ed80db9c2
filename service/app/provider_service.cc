#include "app/provider_service.h"

namespace mtp::app {

namespace {
std::string boolText(bool b) { return b ? "true" : "false"; }
}  // namespace

Result<model::ProviderRecord> ProviderService::get(const Actor& actor) {
  auto p = app_.store().query([&](store::Tx& tx) { return tx.getProvider(actor.scope()); });
  if (!p) return fail(p.error());
  return *p;
}

Result<model::ProviderRecord> ProviderService::updateSettings(const Actor& actor,
                                                                 const ProviderSettings& in,
                                                                 const IfMatch& if_match) {
  bool changed = false;
  auto p = app_.store().transact([&](store::Tx& tx) -> Result<model::ProviderRecord> {
    auto cur = tx.getProvider(actor.scope());
    if (!cur) return cur;
    if (auto ok = if_match.check(cur->version, "the provider's settings"); !ok) return fail(ok.error());
    std::vector<Change> changes;
    model::ProviderRecord next = *cur;
    if (in.require_admin_mfa && *in.require_admin_mfa != cur->require_admin_mfa) {
      changes.push_back({"requireAdminMFA", boolText(cur->require_admin_mfa),
                         boolText(*in.require_admin_mfa)});
      next.require_admin_mfa = *in.require_admin_mfa;
    }
    if (changes.empty()) return next;
    changed = true;
    // Issue 10 item 10 (the seeds' rule): turning the global requirement on also sets every
    // admin's own enableMultiFactor, so turning it off later leaves each admin required until
    // their own flag is changed. Read while the provider still says "off" (the store lists no
    // admins without MFA once it is on), then update each.
    if (next.require_admin_mfa && !cur->require_admin_mfa) {
      std::vector<model::AdminRecord> without;
      for (int skip = 0;;) {
        auto page = tx.listAdminsWithoutMfa(actor.scope(), 500, skip);
        if (!page) return fail(page.error());
        for (auto& a : page->results) without.push_back(std::move(a));
        skip += 500;
        if (page->results.empty() || skip >= page->total_count) break;
      }
      for (auto& a : without) {
        a.enable_multi_factor = true;
        if (auto ok = tx.updateAdmin(actor.scope(), a); !ok) return fail(ok.error());
      }
    }
    if (auto ok = tx.updateProvider(actor.scope(), next); !ok) return fail(ok.error());
    Actor who = actor;
    if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) who.email = me->email;
    auto ev = activityEvent(who, "provider_update", "provider", next.id, changes);
    if (auto id = tx.appendActivity(actor.scope(), ev); !id) return fail(id.error());
    return tx.getProvider(actor.scope());
  });
  if (!p) return fail(p.error());
  if (changed) {
    app_.refreshAfterCommit();
  }
  return *p;
}

}  // namespace mtp::app
