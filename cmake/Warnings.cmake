# Warnings are errors in our own code only: third-party headers are included as SYSTEM.
function(mtp_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # The clang fuzz build (MTP_FUZZ) only: GCC's build below is the one that gates warnings.
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
    return()
  endif()
  # -Wrestrict: GCC 12 false positive on std::string operator+ at -O2/-O3 (GCC PR 105329).
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers
                                           -Wno-restrict)
endfunction()

if(MTP_SANITIZE)
  # -fno-sanitize=vptr: the vptr check needs the typeinfo of every polymorphic class it sees,
  # and Debian's libsoci does not export some (ref_counted_statement): links would fail.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
endif()
if(MTP_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
