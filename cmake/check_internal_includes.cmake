# Run with cmake -P at every build (see layers.cmake): fails when a file of src/ includes an
# internal header of another layer (src/<layer>/internal/), so a layer's internals stay its own.
# Tests may include them: they test a layer's parts directly.
file(GLOB_RECURSE files ${SOURCE_DIR}/src/*.cpp ${SOURCE_DIR}/src/*.hpp)
set(violations "")
foreach(file ${files})
  file(RELATIVE_PATH relative ${SOURCE_DIR}/src ${file})
  string(REGEX MATCH "^[^/]+" layer "${relative}")
  file(STRINGS ${file} lines REGEX "^#include \"[a-z_]+/internal/")
  foreach(line ${lines})
    string(REGEX MATCH "\"([a-z_]+)/internal/" unused "${line}")
    if(NOT CMAKE_MATCH_1 STREQUAL layer)
      string(APPEND violations "\n  src/${relative}: ${line}")
    endif()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "internal headers included from another layer:${violations}")
endif()
