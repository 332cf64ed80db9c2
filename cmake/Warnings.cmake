# Warnings are errors in our own code only: third-party headers are included as SYSTEM.
function(mtp_warnings target)
  # -Wrestrict: GCC 12 false positive on std::string operator+ at -O2/-O3 (GCC PR 105329).
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers
                                           -Wno-restrict)
endfunction()

if(MTP_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(MTP_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
