# utxoiq_layer(NAME deps...): one static library per directory of src/, built from every .cpp in it.
# Files are globbed so that adding a file needs no CMake edit; CONFIGURE_DEPENDS re-globs on build.
function(utxoiq_layer name)
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  if(sources)
    add_library(utxoiq_${name} STATIC ${sources})
    set(scope PUBLIC)
  else()
    add_library(utxoiq_${name} INTERFACE)
    set(scope INTERFACE)
  endif()
  target_link_libraries(utxoiq_${name} ${scope} ${ARGN})
  target_include_directories(utxoiq_${name} ${scope} ${PROJECT_SOURCE_DIR}/src)
endfunction()
