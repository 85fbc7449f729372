// Project pages: "select all" checkboxes of the screening tables.
document.addEventListener("change", function (event) {
  var box = event.target;
  var formId = box.getAttribute && box.getAttribute("data-select-all");
  if (!formId) {
    return;
  }
  var boxes = document.querySelectorAll('input[type="checkbox"][name="projects"][form="' + formId + '"]');
  boxes.forEach(function (item) {
    item.checked = box.checked;
  });
});
