# Flags for every target of this project. -ffp-contract=off: no fused
# multiply-add contraction, so results are the same across compilers and match
# numpy where the course is reproduced. Never -ffast-math.
function(tapegrad_strict_flags target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -ffp-contract=off)
endfunction()

if(TAPEGRAD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
