#include "handlers/user_json.h"

#include "app/admin_text.h"
#include "handlers/list_support.h"

namespace mtp::handlers {

using nlohmann::json;

json userJson(const store::SystemUserRecord& u) {
  return json{{"id", u.id},
              {"_id", u.id},
              {"username", u.username},
              {"email", u.email},
              {"firstname", u.firstname},
              {"lastname", u.lastname},
              {"state", std::string(store::userStateText(u.state))},
              {"activated", u.state == store::UserState::kActivated},
              {"suspended", u.state == store::UserState::kSuspended},
              {"account_locked", u.account_locked},
              {"password_expired", u.password_expired},
              {"password_expiration_date", optTime(u.password_expiration_date)},
              {"totp_enabled", u.totp_enabled},
              {"sudo", u.sudo},
              {"passwordless_sudo", u.passwordless_sudo},
              {"samba_service_user", u.samba_service_user},
              {"scheduled_suspension_date", optTime(u.scheduled_suspension_at)},
              {"scheduled_activation_date", optTime(u.scheduled_activation_at)},
              {"created", app::formatRfc3339(u.created)},
              {"organization", u.org_id}};
}

}  // namespace mtp::handlers
