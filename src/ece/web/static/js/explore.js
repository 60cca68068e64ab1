// Explore: "Load more" fetches the next tiles in place, and does so by itself when the link
// scrolls into view (infinite scroll). Without scripts the link is a plain next-page link.
async function loadMore(link) {
  if (link.dataset.loading) return;
  link.dataset.loading = "1";
  const url = new URL(link.href);
  url.searchParams.set("fragment", "1");
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) {
    delete link.dataset.loading;
    return;
  }
  const template = document.createElement("template");
  template.innerHTML = await response.text();
  const incoming = template.content.querySelector("[data-tiles]");
  const list = document.querySelector("#results [data-tiles]");
  if (incoming && list) list.append(...incoming.children);
  const more = template.content.querySelector(".more");
  link.closest(".more").replaceWith(...(more ? [more] : []));
  watch();
}

const observer = new IntersectionObserver((entries) => {
  for (const entry of entries) if (entry.isIntersecting) loadMore(entry.target);
});

function watch() {
  document.querySelectorAll("[data-load-more]").forEach((link) => observer.observe(link));
}

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("[data-load-more]");
  if (!link) return;
  event.preventDefault();
  loadMore(link);
});
watch();

// Filters apply as they change (no "Apply" needed): the results are fetched in place and the
// address follows, so a view can be shared. Typed fields wait for a pause in typing.
const form = document.querySelector("form.filters");
let typing = null;
async function applyFilters() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value !== "") params.append(name, value);
  history.replaceState(null, "", `/explore?${params}`);
  params.set("fragment", "1");
  const response = await fetch(`/explore?${params}`, { credentials: "same-origin" });
  if (!response.ok) return;
  document.getElementById("results").innerHTML = await response.text();
  watch();
}
if (form) {
  form.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === "text" && !event.target.checkValidity()) return;
    applyFilters();
  });
  form.addEventListener("input", (event) => {
    if (!(event.target instanceof HTMLInputElement) || event.target.type === "checkbox") return;
    clearTimeout(typing);
    typing = setTimeout(() => event.target.checkValidity() && applyFilters(), 350);
  });
}

// Wide screens have room for the filters: show them unfolded.
const filters = document.querySelector("[data-filters]");
if (filters && window.matchMedia("(min-width: 900px)").matches) filters.open = true;
