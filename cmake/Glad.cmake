# Generates the OpenGL 3.3 core loader with Debian's python3-glad at build
# time. --reproducible keeps glad offline (it uses the spec it ships).
find_program(GLAD_EXECUTABLE glad PATHS /usr/bin REQUIRED)
set(GLAD_OUT ${CMAKE_BINARY_DIR}/glad)
add_custom_command(
  OUTPUT ${GLAD_OUT}/src/gl.c ${GLAD_OUT}/include/glad/gl.h
  COMMAND ${GLAD_EXECUTABLE} --api gl:core=3.3 --out-path ${GLAD_OUT}
          --reproducible --quiet c
  COMMENT "Generating the glad OpenGL 3.3 core loader"
  VERBATIM)
add_library(glad_gl STATIC ${GLAD_OUT}/src/gl.c)
target_include_directories(glad_gl PUBLIC ${GLAD_OUT}/include)
target_link_libraries(glad_gl PUBLIC ${CMAKE_DL_LIBS})
