// Devices, their queued commands and the orgs' connect keys: one aggregate of the store
// (soci_devices.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

class DeviceStore {
 public:
  virtual ~DeviceStore() = default;

  // --- devices, their queued commands and the orgs' connect keys (the org must belong to
  // the scope: else kNotFound)
  virtual Result<std::string> createDevice(const TenantScope& scope, const DeviceRecord& record,
                                           const std::string& device_key_hash) = 0;
  // With org_id non-empty, a device of another org answers kNotFound.
  virtual Result<DeviceRecord> getDevice(const TenantScope& scope, const std::string& org_id,
                                         const std::string& id) = 0;
  // Fields: id displayName hostname os osFamily version active lastContact uptimeSeconds
  // remoteAssist organization created.
  virtual Result<Page<DeviceRecord>> listDevices(const TenantScope& scope, const OrgReach& reach,
                                                 const ListQuery& query) = 0;
  // Records the facts, sets active and last_contact.
  virtual Result<void> recordCheckin(const TenantScope& scope, const std::string& device_id,
                                     const DeviceCheckin& checkin) = 0;
  virtual Result<std::string> createCommand(const TenantScope& scope,
                                            const DeviceCommandRecord& record) = 0;
  virtual Result<DeviceCommandRecord> getCommand(const TenantScope& scope,
                                                 const std::string& device_id,
                                                 const std::string& id) = 0;
  // Newest first, at most `limit`.
  virtual Result<std::vector<DeviceCommandRecord>> listCommands(const TenantScope& scope,
                                                                const std::string& device_id,
                                                                int limit) = 0;
  // The device's pending commands, oldest first, now marked sent at `at`.
  virtual Result<std::vector<DeviceCommandRecord>> takePendingCommands(
      const TenantScope& scope, const std::string& device_id, UnixTime at) = 0;
  // status done|failed; kNotFound unless the command is the device's and not finished.
  virtual Result<void> finishCommand(const TenantScope& scope, const std::string& device_id,
                                     const std::string& id, const std::string& status,
                                     const std::string& output, UnixTime at) = 0;
  // Revokes the org's current key and stores the new one.
  virtual Result<void> replaceConnectKey(const TenantScope& scope,
                                         const ConnectKeyRecord& record) = 0;
  // The org's unrevoked key; kNotFound when it has none.
  virtual Result<ConnectKeyRecord> getConnectKey(const TenantScope& scope,
                                                 const std::string& org_id) = 0;

  // --- before a tenant is known, or over every provider (named for what they are)
  // The unrevoked connect key with this hash, any provider (agent enrollment).
  virtual Result<ConnectKeyRecord> findConnectKey(const std::string& key_hash) = 0;
  // The device whose key has this hash, any provider (agent check-in).
  virtual Result<DeviceRecord> findDeviceByKey(const std::string& device_key_hash) = 0;
};

}  // namespace mtp::store
