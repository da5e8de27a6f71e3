# Flags for every target of this project. -ffp-contract=off: no fused
# multiply-add contraction, so results are the same across compilers and match
# numpy where the course is reproduced. Never -ffast-math.
function(tapegrad_strict_flags target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -ffp-contract=off)
endfunction()

# Sanitizer builds compile at -O1 with line tables only (-g1), after the build
# type's -O2 -g: -O1 is what the sanitizers' documentation recommends, stack
# traces keep their files and lines, and the build takes half the time
# (scripts/test.sh builds two sanitizer trees; CI has a time limit).
if(TAPEGRAD_SANITIZE OR TAPEGRAD_SANITIZE_THREAD)
  add_compile_options(-O1 -g1)
endif()

if(TAPEGRAD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(TAPEGRAD_SANITIZE_THREAD)
  if(TAPEGRAD_SANITIZE)
    message(FATAL_ERROR "TAPEGRAD_SANITIZE (ASan) and TAPEGRAD_SANITIZE_THREAD (TSan) cannot be combined")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
