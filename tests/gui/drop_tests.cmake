# Drag and drop onto the real window (XDND under Xvfb, python3-xlib): a
# dropped recording is replayed; a dropped broken one shows the error popup
# (the window dims behind it) instead of crashing.
set(DROP_WINDOW ${CMAKE_CURRENT_SOURCE_DIR}/drop_window.sh)

add_test(NAME gui_drop_rec_window COMMAND ${XVFB} ${DROP_WINDOW} ${MPVIZ} ${OUT}/lock.jsonl
  ${OUT}/drop_rec.png --scenario lock --quit-after 4)
set_tests_properties(gui_drop_rec_window PROPERTIES FIXTURES_REQUIRED "gui_open_rec;mpviz_leaks"
  FIXTURES_SETUP gui_drop_rec TIMEOUT 30 LABELS gui ENVIRONMENT "XDG_CONFIG_HOME=${OUT}/xdg/drop_rec")
add_test(NAME gui_drop_rec_check COMMAND check_screenshot ${OUT}/drop_rec.png run)
set_tests_properties(gui_drop_rec_check PROPERTIES FIXTURES_REQUIRED gui_drop_rec LABELS gui)

add_test(NAME gui_drop_broken_window COMMAND ${XVFB} ${DROP_WINDOW} ${MPVIZ}
  ${CMAKE_CURRENT_SOURCE_DIR}/data/broken_recording.jsonl ${OUT}/drop_broken.png
  --scenario lock --quit-after 3)
set_tests_properties(gui_drop_broken_window PROPERTIES FIXTURES_REQUIRED mpviz_leaks
  FIXTURES_SETUP gui_drop_broken TIMEOUT 30 LABELS gui
  ENVIRONMENT "XDG_CONFIG_HOME=${OUT}/xdg/drop_broken")
# The same window as gui_idle but for the popup: most pixels differ; and no
# lanes were drawn from the broken file.
add_test(NAME gui_drop_broken_shows_popup COMMAND check_screenshot ${OUT}/drop_broken.png differ
  ${OUT}/idle.png)
add_test(NAME gui_drop_broken_draws_no_run COMMAND check_screenshot ${OUT}/drop_broken.png run)
set_tests_properties(gui_drop_broken_shows_popup gui_drop_broken_draws_no_run PROPERTIES
  FIXTURES_REQUIRED "gui_drop_broken;gui_idle" LABELS gui)
set_tests_properties(gui_drop_broken_draws_no_run PROPERTIES WILL_FAIL TRUE)
