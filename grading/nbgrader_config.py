# nbgrader configuration for a course built from the "Neural Networks 2" notebooks.
# tools/make_assignment.py copies this file to the course directory when it has none; edit the
# copy there (course id, exchange, students). docs/grading.md describes the whole workflow.
c = get_config()  # noqa: F821  (nbgrader provides get_config)

c.CourseDirectory.course_id = "nn2"

# Per-cell time limit while autograding (and `nbgrader validate`). A cell that runs longer is
# interrupted (KeyboardInterrupt, then the next cell runs): an answer that loops forever, or a
# panel that waits for a browser that is not there, scores 0 for its exercise instead of hanging
# the grader. The slowest cell of the series (training in 07) takes a few seconds; keep the
# limit well above that on a loaded grading machine.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.startup_timeout = 120

# Answer cells keep the student's `___` placeholder: tools/make_assignment.py puts the model
# answer between ### BEGIN SOLUTION / ### END SOLUTION after it, and generate_assignment removes
# that region without adding nbgrader's default "raise NotImplementedError()" stub.
# (Cells you mark as solution cells yourself with no solution region are emptied by this setting.)
c.ClearSolutions.code_stub = {"python": ""}

# A test cell a student deleted is put back before grading (it then scores what the answer earns).
c.OverwriteCells.add_missing_cells = True

# Releasing through JupyterHub (or any shared machine): every user's nbgrader must see the same
# exchange directory, writable by all (`mkdir -p /srv/nbgrader/exchange && chmod 777 …`).
# c.Exchange.root = "/srv/nbgrader/exchange"
