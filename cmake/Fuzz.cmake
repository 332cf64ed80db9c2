# MTP_FUZZ: the libFuzzer build (scripts/fuzz.sh configures it in its own directory with clang).
# Every library gets -fsanitize=fuzzer-no-link plus ASan and UBSan; the targets in tests/fuzz
# link -fsanitize=fuzzer. libstdc++ 12 hides std::expected unless __cpp_concepts says C++20
# concepts in full. Clang 16 implements what <expected> needs (P0848, conditionally trivial
# special members; clang 14 does not) but still reports 201907, so the fuzz build states the
# value itself; scripts/fuzz.sh uses Debian's clang-16.
if(MTP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MTP_FUZZ needs clang (scripts/fuzz.sh sets CXX=clang++)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer
                      -U__cpp_concepts -D__cpp_concepts=202002L -Wno-builtin-macro-redefined)
  add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
endif()
