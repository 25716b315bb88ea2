# The Debian package (CPack's DEB generator): `scripts/package`, or
# `cpack -G DEB` in the build directory. Installs under /usr; dependencies
# are the shared libraries' packages (dpkg-shlibdeps, from dpkg-dev) plus
# python3 (Python mode) and fonts-noto-cjk (the Chinese UI).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mpviz)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "mpviz maintainers")
set(CPACK_PACKAGE_CONTACT "mpviz maintainers <maintainers@users.noreply.r-seed-226f54b8.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "watch Python multiprocessing run as real processes")
set(CPACK_PACKAGE_DESCRIPTION
"mpviz makes the Chinese tutorial on Python's multiprocessing come alive:
pick a scenario, press Run, and watch real OS processes start, sleep, block
on locks and semaphores, pass items through queues and pipes, and exit or
get killed, live on a timeline. Teachers can pause, step one process at a
time, slow time down and replay. Students' own Python programs run
unmodified under python3 with a tracer. The window speaks Chinese and
English.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3, fonts-noto-cjk")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
