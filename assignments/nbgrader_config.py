# nbgrader configuration for the kneesci assignments. Run nbgrader from this folder:
#   cd assignments && nbgrader generate_assignment a1_likelihood_ratios
# Expected answers are computed by kneesci inside the locked check cells, so they follow the course's
# knowledge base; the free-text questions are graded by hand (nbgrader formgrader).
c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "kneesci"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ExecutePreprocessor.timeout = 120
