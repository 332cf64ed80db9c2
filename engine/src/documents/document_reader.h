// Decoding of directory and request documents from yaml-cpp nodes, shared by the public
// parse functions (JSON or YAML text) and the policy test runner (documents inside a test file).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "mtp/engine/documents.h"
#include "policy/diagnostic_sink.h"

namespace mtp::engine::detail {

void readDirectory(const YAML::Node& node, const std::string& file, DirectoryData& out,
                   DiagnosticSink& sink);
void readRequest(const YAML::Node& node, const std::string& file, UnixTime default_time,
                 RequestDocument& out, DiagnosticSink& sink);

// Parses text as YAML (JSON is accepted); a syntax error goes to `sink` and yields a null node.
YAML::Node parseYamlText(const std::string& file, std::string_view text, DiagnosticSink& sink);

}  // namespace mtp::engine::detail
