"""Every word a report shows, in Vietnamese and English: one table, looked up by key."""

from __future__ import annotations

LANGS = ("vi", "en")

STRINGS: dict[str, dict[str, str]] = {
    "title": {"vi": "Dự báo các chỉ tiêu kinh tế tập thể",
              "en": "Forecast of the collective-economy targets"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "plan": {"vi": "Kế hoạch", "en": "Plan"},
    "reform": {"vi": "Sắp xếp đơn vị hành chính năm 2025", "en": "2025 reform"},
    "reform_ended": {
        "vi": "{unit} hoạt động đến hết ngày {date} (data/units.csv); từ năm {year}, số liệu "
              "nào {unit} không tự báo cáo là tổng số liệu của các đơn vị kế thừa "
              "({successors})",
        "en": "{unit} ended on {date} (data/units.csv); from {year} a figure it does not "
              "report itself is the sum of its successors' ({successors})"},
    "reform_own": {"vi": "; số liệu năm {years} đang có là của chính {unit}",
                   "en": "; the figures of {years} on record are {unit}'s own"},
    "reform_none": {"vi": ", chưa đơn vị nào có số liệu",
                    "en": ", none of which is on record yet"},
    "reform_partial": {"vi": ", nhưng chưa năm nào có số liệu của đủ các đơn vị này",
                       "en": ", none of which can be made yet: no year has figures from all "
                             "of them"},
    "reform_summed": {
        "vi": ": {n} số liệu năm {years} được cộng lại (số lượng được cộng lại, "
              "tỷ lệ được tính lại từ số lượng đã cộng)",
        "en": ": {n} figures of {years} summed (counts added, shares from the summed "
              "counts)"},
    "unit_ended": {"vi": "hoạt động đến {date}", "en": "ended {date}"},
    "unit_summed": {"vi": "{years}: tổng của {n} đơn vị kế thừa",
                    "en": "{years}: the sum of its {n} successor units"},
    "as_of": {"vi": "Số liệu đến năm", "en": "Data up to"},
    "data": {"vi": "Tệp số liệu", "en": "Data file"},
    "scenario": {"vi": "Kịch bản", "en": "Scenario"},
    "target": {"vi": "Chỉ tiêu", "en": "Target"},
    "rule": {"vi": "Yêu cầu", "en": "Rule"},
    "status": {"vi": "Tình trạng", "en": "Status"},
    "probability": {"vi": "Xác suất đạt", "en": "Probability met"},
    "likelihood": {"vi": "Đánh giá", "en": "Likelihood"},
    "interval": {"vi": "Khoảng dự báo 80%, năm mục tiêu", "en": "80% interval, target year"},
    "required": {"vi": "Nhịp độ cần đạt/năm", "en": "Required pace / year"},
    "recent": {"vi": "Nhịp độ gần đây/năm", "en": "Recent pace / year"},
    "record": {"vi": "Số liệu đã có", "en": "Record"},
    "record_deciding": {"vi": "Số liệu làm căn cứ (nguồn)", "en": "Deciding figures (source)"},
    "latest": {"vi": "gần nhất", "en": "latest"},
    "no_figure_for": {"vi": "chưa có số liệu năm {years}", "en": "no figure for {years}"},
    "no_record": {"vi": "chưa có số liệu", "en": "no figure on record"},
    "model": {"vi": "Mô hình", "en": "Model"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "coverage": {"vi": "Tỷ lệ bao phủ: khoảng dự báo 80% (hình vuông), 95% (hình tròn)",
                 "en": "Coverage: 80% interval (squares), 95% (circles)"},
    "horizon": {"vi": "Số năm dự báo trước", "en": "Years ahead"},
    "predicted": {"vi": "Xác suất dự báo", "en": "Predicted probability"},
    "observed_freq": {"vi": "Tần suất thực tế", "en": "Observed frequency"},
    "backtest_title": {"vi": "Kiểm định dự báo trên số liệu quá khứ",
                       "en": "Backtest: how past forecasts fared"},
    "backtest_method": {
        "vi": "Mỗi mô hình được ước lượng lại tại mỗi mốc dự báo có ít nhất {min_train} năm số "
              "liệu, dự báo {horizons} năm tiếp theo và so với số liệu thực tế sau đó. Tỷ lệ "
              "bao phủ (tỷ lệ số liệu thực tế nằm trong khoảng dự báo) của khoảng 80% và 95% "
              "nên lần lượt gần 80% và 95%. Một mô hình chỉ được chọn riêng khi có ít nhất 30 "
              "dự báo được chấm điểm và CRPS trung bình thấp hơn CRPS của các mô hình khác trên "
              "10%; nếu không, các mô hình được kết hợp với trọng số tỷ lệ với 1/CRPS (cột "
              "trọng số).",
        "en": "Each model is refitted at every origin year with at least {min_train} years of "
              "figures, forecasts the next {horizons} years, and is scored against what "
              "happened. Coverage (the share of outcomes inside the interval) should be near "
              "80 % for the 80 % interval and 95 % for the 95 %. One model is chosen alone "
              "only on at least 30 scored forecasts and a mean CRPS more than 10 % below the "
              "others'; otherwise the models' paths are mixed with weights proportional to "
              "1 / CRPS (the weight column)."},
    "calls_heading": {"vi": "## Độ tin cậy của các nhận định đạt/không đạt",
                      "en": "## Reliability of the attainment calls"},
    "calls_method": {
        "vi": "Tại mỗi mốc dự báo, mô hình được chọn đưa ra xác suất đạt một ngưỡng cùng loại "
              "với chỉ tiêu của kế hoạch trong 1–{horizons} năm tới. Điểm Brier: {brier} trên "
              "{n} nhận định (0 là hoàn hảo; luôn nêu xác suất bằng tần suất nền {base} thì "
              "được {climate}). Trên biểu đồ, điểm càng lớn thì gồm càng nhiều nhận định; trên "
              "đường chéo nét chấm, tần suất đạt đúng bằng xác suất đã nêu. Vạch xám ở mỗi "
              "điểm của đơn vị này là phạm vi dự kiến nếu các xác suất là đúng: với cùng số nhận "
              "định, 9 trên 10 điểm sẽ nằm trong vạch, nên ở một điểm nằm ngoài vạch, chỉ tiêu "
              "đã đạt thường xuyên hơn hoặc ít hơn mức mà yếu tố ngẫu nhiên cho phép. Các nhận "
              "định này dùng chung năm và mốc dự báo, nên các vạch có lẽ còn hẹp hơn thực tế.",
        "en": "At every origin the chosen model gave the probability of a threshold of the "
              "plan's kind over the next 1-{horizons} years. Brier score {brier} over {n} "
              "calls (0 is perfect; always saying the base rate {base} gives "
              "{climate}). In the diagram, larger points hold more calls, and on the dotted "
              "diagonal calls came true as often as they said. The grey bar at each of this "
              "unit's points is its expected range if the probabilities were right: with as "
              "many calls, 9 points in 10 would fall inside it, so a point outside came true "
              "more or less often than chance allows. These calls share years and origins, so "
              "the bars are, if anything, too narrow."},
    "outside_bars": {"vi": "Ở đây, {k} trên {m} điểm nằm ngoài vạch tương ứng{points}.",
                     "en": "Here {k} of {m} points lie outside their bars{points}."},
    "outside_point": {"vi": "xác suất nêu {said}, tần suất đạt {true}, {n} nhận định",
                      "en": "said {said}, came true {true}, {n} calls"},
    "suite_heading": {"vi": "## Trên các huyện giả lập đã biết kết quả",
                      "en": "## On synthetic districts whose outcome is known"},
    "suite_method": {
        "vi": "Bộ kiểm định hiệu chuẩn (`make calibration`) tạo {districts} huyện giả lập từ "
              "các quá trình {families}, dự báo mỗi huyện với thiết lập mặc định của ktt tại "
              "năm cuối có số liệu, rồi so các nhận định với kết quả thực đến năm 2030. Điểm "
              "kỹ năng Brier so với tần suất nền: {skill}. Biểu đồ trên: các nhận định của "
              "chính đơn vị này trong kiểm định quá khứ; biểu đồ dưới: của bộ kiểm định, theo "
              "nhóm chỉ tiêu.",
        "en": "The calibration suite (`make calibration`) draws {districts} synthetic "
              "districts from the processes {families}, forecasts each with ktt's defaults at "
              "its last year of figures and checks the calls against the outcome through "
              "2030. Brier skill against the base rate: {skill}. Upper chart: this unit's own "
              "backtest calls; lower chart: the suite's, by kind of target."},
    "suite_noise": {
        "vi": "Mỗi điểm của biểu đồ gồm từ 10 đến 300 nhận định, nên ở một điểm có ít nhận "
              "định, độ lệch 10 đến 15 điểm phần trăm vẫn nằm trong sai số ngẫu nhiên; với "
              "8.000 huyện giả lập (README, mục hiệu chuẩn), mọi khoảng xác suất có từ 50 nhận "
              "định trở lên đều lệch không quá 5 điểm phần trăm. Nhóm chỉ tiêu tăng từng năm "
              "hầu như không bao giờ đạt, nên điểm kỹ năng trên nhóm này, của ktt cũng như của "
              "các phương pháp xếp loại SDG, không có ý nghĩa.",
        "en": "Each point of the chart gathers 10-300 calls, so a gap of 10-15 percentage "
              "points at a point of few calls is within chance; on 8,000 districts (README, "
              "calibration), every bin of 50 calls or more is within 5 points. The direction "
              "kind (rising every year) is almost never met, so its skill, and the official "
              "methods' on it, mean nothing."},
    "no_suite": {"vi": "Chưa có kết quả bộ kiểm định hiệu chuẩn: chạy `make calibration`.",
                 "en": "The calibration suite has not been saved: run `make calibration`."},
    "unit_calls": {"vi": "Đơn vị này (kiểm định quá khứ)", "en": "This unit (backtest)"},
    "suite_calls": {"vi": "Bộ kiểm định hiệu chuẩn", "en": "Calibration suite"},
    "consistency_bar": {"vi": "phạm vi dự kiến nếu các xác suất là đúng",
                        "en": "expected range if the probabilities were right"},
    "family_formation": {"vi": "thành lập mới", "en": "formation"},
    "family_profitable": {"vi": "tỷ lệ hoạt động có lãi", "en": "profitable"},
    "family_households": {"vi": "hộ tham gia", "en": "households"},
    "family_stock": {"vi": "số HTX đang hoạt động", "en": "HTX operating"},
    "family_direction": {"vi": "tăng từng năm", "en": "direction"},
    "no_backtest": {"vi": "Chuỗi số liệu quá ngắn để kiểm định; dùng mô hình cơ sở.",
                    "en": "The series are too short to backtest; the baselines are used."},
    "why": {"vi": "Lý do chọn (kiểm định quá khứ)", "en": "Why (backtest)"},
    "named_model": {"vi": "do người dùng chỉ định", "en": "named in the parameters"},
    # the models in words, and why they serve (ktt.forecasting.model_choice.ModelChoice)
    "model_poisson": {"vi": "xu hướng Poisson", "en": "Poisson trend"},
    "model_negbin": {"vi": "xu hướng nhị thức âm", "en": "negative-binomial trend"},
    "model_recent_mean": {"vi": "trung bình gần đây", "en": "recent mean"},
    "model_rate_walk": {"vi": "nhịp thành lập biến động", "en": "wandering rate"},
    "model_recent_mean+province": {"vi": "trung bình gần đây, gộp với tỉnh",
                                   "en": "recent mean, pooled with the province"},
    "model_log_drift": {"vi": "tăng đều theo %", "en": "steady growth in per cent"},
    "model_linear_drift": {"vi": "tăng đều theo số lượng", "en": "steady growth in number"},
    "model_damped_drift": {"vi": "tăng chậm dần tới mức cân bằng giữa thành lập và giải thể",
                           "en": "growth slowing to a balance of foundings and dissolutions"},
    "model_last_stock": {"vi": "giữ số liệu cuối", "en": "last figure held"},
    "model_binomial": {"vi": "hồi quy nhị thức", "en": "binomial regression"},
    "model_beta": {"vi": "hồi quy beta", "en": "beta regression"},
    "model_logit_normal": {"vi": "xu hướng logit chuẩn", "en": "logit-normal trend"},
    "model_mean_reverting": {"vi": "quay về mức hoặc đường xu hướng",
                             "en": "reverting to a level or a line"},
    "model_last_value": {"vi": "giữ giá trị cuối", "en": "last value held"},
    "model_mixture": {"vi": "kết hợp nhiều mô hình", "en": "mixture of models"},
    "why_backtested": {"vi": "{scored} dự báo được chấm điểm từ {origins} mốc dự báo",
                       "en": "{scored} scored forecasts from {origins} origins"},
    "why_only": {"vi": "mô hình duy nhất được xét cho loại chỉ tiêu này (báo cáo kiểm định "
                       "chấm điểm các mô hình khác để so sánh); CRPS trung bình {crps} trên "
                       "{backtested}",
                 "en": "the one candidate of its kind (the backtest report scores the others "
                       "for comparison); mean CRPS {crps} over {backtested}"},
    "why_best": {"vi": "CRPS trung bình thấp nhất ({crps}) trên {backtested}",
                 "en": "the lowest mean CRPS ({crps}) over {backtested}"},
    "why_runner_up": {"vi": "; mô hình kế tiếp: {model} ({crps})",
                      "en": "; next: {model} ({crps})"},
    "why_mixed": {
        "vi": "kết hợp {weights} (trọng số tỷ lệ nghịch với CRPS trung bình) trên "
              "{backtested}: {because}",
        "en": "a mixture of {weights} (weights proportional to 1 / mean CRPS) over "
              "{backtested}: {because}"},
    "why_few": {"vi": "chưa đủ {n} dự báo để một mô hình được chọn riêng",
                "en": "fewer than the {n} a single model needs to win"},
    "why_close": {"vi": "CRPS chênh với mô hình tốt nhất ({crps}) không quá {close}",
                  "en": "CRPS within {close} of the best ({crps})"},
    "why_short": {"vi": "{figures} năm có số liệu, quá ít để kiểm định quá khứ (cần {needs})",
                  "en": "{figures} years of figures, too few to backtest (needs {needs})"},
    # one year is not "1 years" (the national plans' THT members and rated-good share)
    "why_short_one": {"vi": "1 năm có số liệu, quá ít để kiểm định quá khứ (cần {needs})",
                      "en": "1 year of figures, too few to backtest (needs {needs})"},
    "why_short_baseline": {"vi": "{short}: dùng mô hình cơ sở, {models}",
                           "en": "{short}: the baseline, {models}"},
    "why_short_mixture": {"vi": "{short}: kết hợp {models} với trọng số bằng nhau",
                          "en": "{short}: {models}, mixed equally"},
    "why_untested": {"vi": "; {models} luôn phải chuyển sang mô hình khác nên không được xét",
                     "en": "; {models} always fell back, not a candidate"},
    "needs_figures": {"vi": "{model} cần {needs} năm có số liệu, mới có {has}: dùng {to}",
                      "en": "{model} needs {needs} figures, has {has}: {to} instead"},
    "fit_failed": {"vi": "{model} không dùng được ({error}): dùng {to}",
                   "en": "{model} could not be fitted ({error}): {to} instead"},
    "error_no_dispersion": {
        "vi": "hệ số phân tán ước lượng bằng 0: số liệu không dao động nhiều hơn mô hình Poisson",
        "en": "its dispersion came out at zero: the figures vary no more than Poisson's"},
    "error_no_convergence": {"vi": "phép ước lượng không hội tụ",
                             "en": "the estimation did not converge"},
    "error_no_counts": {"vi": "cần số lượng (tử số và mẫu số) của tỷ lệ",
                        "en": "it needs the counts behind the share"},
    "error_few_changes": {"vi": "cần {needs} lần thay đổi giữa hai năm liền nhau, mới có {has}",
                          "en": "it needs {needs} year-on-year changes, has {has}"},
    "error_few_figures": {"vi": "cần {needs} số liệu, mới có {has}",
                          "en": "it needs {needs} figures, has {has}"},
    "error_no_spread": {"vi": "số liệu thay đổi đúng bằng nhau mỗi năm: không có dao động để ước "
                              "lượng",
                        "en": "the figure changed by the same amount every year: no spread to "
                              "learn"},
    "pooled_note": {"vi": "trung bình mọi năm, với tiên nghiệm về nhịp thành lập được ước lượng "
                          "từ các đơn vị cùng tỉnh",
                    "en": "the mean of every year, with a prior on the founding rate learnt "
                          "from the units of the province"},
    "indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "indicator_name": {"vi": "Tên chỉ số", "en": "Name"},
    "figures": {"vi": "Số năm có số liệu", "en": "Years with data"},
    "parameter": {"vi": "Tham số", "en": "Parameter"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "default": {"vi": "Mặc định", "en": "Default"},
    "parameters_changed": {"vi": "Các tham số báo cáo này dùng khác với mặc định",
                           "en": "Parameters this report set away from their defaults"},
    "no_change": {"vi": "Kịch bản giữ nguyên mọi tham số mặc định.",
                  "en": "The scenario keeps every default."},
    "met": {"vi": "đã đạt", "en": "met"},
    "missed": {"vi": "không đạt", "en": "missed"},
    "open": {"vi": "chưa rõ kết quả", "en": "open"},
    "history": {"vi": "Số liệu", "en": "Record"},
    "median": {"vi": "Trung vị dự báo", "en": "Median forecast"},
    "band80": {"vi": "Khoảng dự báo 80%", "en": "80% band"},
    "band95": {"vi": "Khoảng dự báo 95%", "en": "95% band"},
    "gap_estimate": {"vi": "Ước tính năm chưa có số liệu (80%, 95%)",
                     "en": "Estimate for a year without a figure (80%, 95%)"},
    "threshold": {"vi": "Mức chỉ tiêu", "en": "Target level"},
    "year": {"vi": "Năm", "en": "Year"},
    "virtually certain": {"vi": "gần như chắc chắn", "en": "virtually certain"},
    "very likely": {"vi": "rất có khả năng", "en": "very likely"},
    "likely": {"vi": "có khả năng", "en": "likely"},
    "about as likely as not": {"vi": "khả năng ngang nhau", "en": "about as likely as not"},
    "unlikely": {"vi": "ít khả năng", "en": "unlikely"},
    "very unlikely": {"vi": "rất ít khả năng", "en": "very unlikely"},
    "exceptionally unlikely": {"vi": "hầu như không thể", "en": "exceptionally unlikely"},
    "unknown": {"vi": "chưa rõ", "en": "unknown"},
    "orgs_new": {"vi": "HTX và THT thành lập mới/năm", "en": "New HTX and THT per year"},
    "htx_new": {"vi": "HTX thành lập mới/năm", "en": "New HTX per year"},
    "profitable_share": {"vi": "Tỷ lệ tổ chức KTTT hoạt động có lãi",
                         "en": "Share operating at a profit"},
    "household_share": {"vi": "Tỷ lệ hộ nông dân tham gia KTTT",
                        "en": "Share of farm households taking part"},
    "htx_dissolved": {"vi": "HTX giải thể/năm", "en": "HTX dissolved per year"},
    "log_scale": {"vi": "số lượng (thang logarit)", "en": "number (log scale)"},
    "synthetic_label": {"vi": "ví dụ giả lập", "en": "synthetic example"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "own_value": {"vi": "Số liệu của đơn vị này cùng năm", "en": "The unit's figure, same year"},
    "quote": {"vi": "Trích dẫn", "en": "Quote"},
    "quoted_figures": {"vi": "Số liệu lấy từ nguồn này, kèm câu trích",
                       "en": "Figures taken from it, with the phrase quoted"},
    # another publisher's figure, listed under its source: which one the forecast used
    "not_used": {"vi": "(không dùng: nguồn được ưu tiên cho số {value})",
                 "en": "(not used: the preferred source gives {value})"},
    "same_as_used": {"vi": "(trùng với số của nguồn được ưu tiên, là số được dùng)",
                     "en": "(the same as the preferred source's figure, which is used)"},
    "no_published": {"vi": "Không có số liệu công bố của tỉnh hoặc cả nước cho các chỉ số này.",
                     "en": "No published provincial or national figure for these indicators."},
    "no_unit_above": {
        "vi": "{unit} không có đơn vị cấp trên trong danh mục đơn vị hành chính, nên không có số "
              "liệu của tỉnh hay cả nước để đặt cạnh. Số liệu của chính {unit}, kèm nguồn và câu "
              "trích, có trong mục Nguồn số liệu.",
        "en": "{unit} has no unit above it in the units table, so there is no province's or "
              "country's figure to set beside its own. Its own figures, with their sources and "
              "quotes, are under Sources."},
    "beside_heading": {"vi": "## Đặt cạnh số liệu công bố của tỉnh và cả nước",
                       "en": "## Beside the published figures of the province and the country"},
    "beside_numbers": {"vi": "Số trong ngoặc vuông, như [3], là số thứ tự của nguồn trong mục "
                             "Nguồn số liệu ở cuối báo cáo.",
                       "en": "A number in brackets, such as [3], is the source's number in the "
                             "list of sources at the end of the report."},
    # for a reader who has not met a log scale: why 1, 10, 100 sit evenly apart, and why a
    # 0 can sit below them (ktt.report.comparison draws 0 to 1 linearly: a log scale has no 0)
    "beside_log": {"vi": "Số lượng được vẽ trên thang logarit: mỗi vạch 1, 10, 100, 1.000 gấp "
                         "10 lần vạch dưới, để số nhỏ của đơn vị và số lớn của tỉnh, cả nước "
                         "cùng đọc được trên một biểu đồ. Thang logarit không có số 0, nên "
                         "riêng đoạn từ 0 đến 1 được chia đều, để năm có số lượng bằng 0 vẫn "
                         "hiện ở vạch 0 dưới cùng.",
                   "en": "Numbers are drawn on a log scale: each mark 1, 10, 100, 1,000 is 10 "
                         "times the one below, so that the unit's few and the province's or "
                         "country's many can be read on one chart. A log scale has no 0, so "
                         "the stretch from 0 to 1 alone is drawn evenly, and a year with none "
                         "stays on the chart, at the 0 mark at the bottom."},
    "rated_good_share": {"vi": "Tỷ trọng HTX khá, tốt", "en": "Share of HTX rated fair or good"},
    "rated_weak_share": {"vi": "Tỷ lệ HTX yếu, kém", "en": "Share of HTX rated weak"},
    "htx_registered": {"vi": "Số HTX hiện có", "en": "HTX on record"},
    "htx_active": {"vi": "Số HTX đang hoạt động", "en": "HTX active"},
    "tht_registered": {"vi": "Số THT hiện có", "en": "THT on record"},
    "htx_members": {"vi": "Số thành viên HTX", "en": "Members of HTX"},
    "tht_members": {"vi": "Số thành viên THT", "en": "Members of THT"},
    "unions_registered": {"vi": "Số liên hiệp HTX", "en": "Unions of HTX"},
    "union_member_htx": {"vi": "Số HTX thành viên liên hiệp HTX",
                         "en": "HTX members of a union"},
    "met_already": {"vi": "đã đạt", "en": "met"},
    "hold_level": {"vi": "0 (đã ở mức chỉ tiêu: giữ vững)",
                   "en": "0 (already at the level: hold it)"},
    "progress_heading": {"vi": "## Tiến độ theo phương pháp của các cơ quan thống kê",
                         "en": "## Progress as statistics offices classify it"},
    "progress_intro": {
        "vi": "Mỗi phương pháp so sánh số liệu mới nhất với số liệu năm gốc {base_year} (mặc "
              "định là năm gốc của kế hoạch; các phương pháp SDG tự dùng năm 2015; đổi bằng "
              "tham số `base_year`) và xếp loại chỉ tiêu; trong ngoặc là tỷ số của phương pháp,"
              " với chỉ tiêu tăng dần là tốc độ tăng bình quân mỗi năm (%/năm, tăng tương đối, "
              "không phải điểm %). Các phương pháp không mô phỏng tương lai; kết quả xếp loại "
              "được đặt cạnh xác suất đạt của ktt để so sánh. Với chỉ tiêu hằng năm (mỗi năm ít"
              " nhất N), các phương pháp chỉ xét mức của năm mới nhất so với N, không xét các "
              "năm đã qua; cột cuối cho biết các năm đó.",
        "en": "Each method compares the latest figure with the base year {base_year} (by "
              "default the plan's; the SDG methods' own is 2015; parameter `base_year` changes "
              "it) and classes the target; its ratio is in brackets, for a rising rule the mean"
              " growth a year (%/yr, a relative growth, not percentage points). The methods "
              "simulate nothing: they stand beside ktt's probability for comparison. For a "
              "yearly rule (at least N every year) they read the latest year's level against N,"
              " not the years already past; the last column gives those."},
    "open_sdg": {"vi": "Open SDG / Eurostat", "en": "Open SDG / Eurostat"},
    "unsd": {"vi": "UNSD (biểu đồ tiến độ)", "en": "UNSD progress chart"},
    "escap": {"vi": "ESCAP (tiến độ dự kiến)", "en": "ESCAP anticipated progress"},
    "open_sdg_doc": {
        "vi": "tốc độ tăng bình quân năm quan sát được từ năm gốc so với tốc độ cần để đạt "
              "mục tiêu đúng hạn (open-sdg/sdg-build, sdg/ProgressMeasure.py; ngưỡng 0,95 và "
              "0,60)",
        "en": "the compound annual growth observed since the base year over the growth the "
              "target needs (open-sdg/sdg-build, sdg/ProgressMeasure.py; cut-offs 0.95 and "
              "0.60)"},
    "unsd_doc": {
        "vi": "giá trị kỳ vọng năm mục tiêu nếu giữ tốc độ tăng hiện nay, so với mức cần "
              "(UNSD, Progress Chart Technical Note 2023; ngưỡng 0,95 và 0,10)",
        "en": "the target-year value expected at the observed growth rate against the "
              "target (UNSD, Progress Chart Technical Note 2023; cut-offs 0.95 and 0.10)"},
    "escap_doc": {
        "vi": "giá trị dự báo năm mục tiêu bằng hồi quy tuyến tính có trọng số thời gian, so "
              "với tiến độ cần từ năm gốc (ESCAP, Asia and the Pacific SDG Progress Report)",
        "en": "the target-year value projected by a time-weighted linear regression against "
              "the progress needed from the base year (ESCAP, Asia and the Pacific SDG "
              "Progress Report)"},
    "base": {"vi": "năm gốc", "en": "base"},
    "yearly_count": {"vi": "Số năm đạt / mức cần mỗi năm chưa có số liệu / mức gần đây",
                     "en": "Years met / needed each year without a figure / recent level"},
    "years_of": {"vi": "{met}/{known} năm", "en": "{met} of {known} years"},
    "no_year_yet": {"vi": "chưa qua năm nào", "en": "no year elapsed"},
    "no_year_left": {"vi": "không còn năm nào", "en": "no year left"},
    "class_achieved": {"vi": "đã ở mức chỉ tiêu", "en": "at the target level"},
    "class_on_track": {"vi": "đúng tiến độ", "en": "on track"},
    "class_moderate": {"vi": "có tiến bộ, cần tăng tốc", "en": "moderate, acceleration needed"},
    "class_limited": {"vi": "tiến bộ hạn chế", "en": "limited progress"},
    "class_deterioration": {"vi": "đi xuống", "en": "deterioration"},
    "class_fair_progress": {"vi": "tiến bộ khá, cần tăng tốc",
                            "en": "fair progress, acceleration needed"},
    "class_stagnation_or_regression": {"vi": "đứng yên hoặc thụt lùi",
                                       "en": "stagnation or regression"},
    "class_maintain": {"vi": "giữ nhịp độ", "en": "maintain progress"},
    "class_accelerate": {"vi": "cần tăng tốc", "en": "accelerate progress"},
    "class_reverse": {"vi": "cần đảo chiều xu hướng", "en": "reverse the trend"},
    "class_insufficient_data": {"vi": "không đủ số liệu", "en": "insufficient data"},
    "disagree_on": {
        "vi": "{target}: theo xếp loại của {who} ({methods}), chỉ tiêu đang "
              "đúng tiến độ, nhưng xác suất đạt theo ktt chỉ là {p} ({phrase}).",
        "en": "{target}: {who} it is on track ({methods}), but ktt's "
              "probability that it is met is only {p} ({phrase})."},
    "disagree_off": {
        "vi": "{target}: theo xếp loại của {who} ({methods}), chỉ tiêu chưa "
              "đúng tiến độ, nhưng xác suất đạt theo ktt là {p} ({phrase}).",
        "en": "{target}: {who} it is off track ({methods}), but ktt's "
              "probability that it is met is {p} ({phrase})."},
    "disagree_decided": {
        "vi": "{target}: theo xếp loại của {who} ({methods}), chỉ tiêu {side}, "
              "nhưng số liệu đã cho kết quả: {status}.",
        "en": "{target}: {who} it is {side} ({methods}), but the record "
              "already decides it: {status}."},
    # who says so: every method that classes the target, or only some of them; "the official
    # classes say it is on track (ESCAP: maintain progress)" hid that the other two said it
    # was not (the district's rated-good share)
    "classes_all": {"vi": "các phương pháp SDG", "en": "the official classes say"},
    "classes_some": {"vi": "{k} trong {m} phương pháp SDG",
                     "en": "{k} of the {m} official classes {verb}"},
    "official_heading": {"vi": "## Xếp loại tiến độ theo các phương pháp SDG, dùng như dự báo",
                         "en": "## The official progress classes as forecasts"},
    "official_method": {
        "vi": "Tại mỗi mốc dự báo, ba phương pháp (Open SDG / Eurostat, UNSD, ESCAP) xếp loại "
              "đúng những trường hợp mà mô hình của ktt đã đưa ra nhận định, tính từ năm gốc "
              "{base_year} (hoặc năm đầu có số liệu nếu năm gốc chưa qua). \"Đã ở mức chỉ "
              "tiêu\", \"đúng tiến độ\" và \"giữ nhịp độ\" được tính là nhận định đạt (xác "
              "suất 1), các loại khác là không đạt (0); \"không đủ số liệu\" không đưa ra nhận "
              "định. Bảng đầu: trên "
              "chính số liệu của đơn vị, kèm điểm Brier của ktt trên đúng các nhận định đó "
              "và tần suất đạt khi phương pháp nhận định đạt hoặc nhận định không đạt. "
              "Bảng sau: trên bộ kiểm định hiệu chuẩn, theo nhóm chỉ tiêu (điểm kỹ năng "
              "Brier so với tần suất nền).",
        "en": "At every origin the three methods (Open SDG / Eurostat, UNSD, ESCAP) class the "
              "same calls ktt's models make there, from the base year {base_year} (or the "
              "first figure when the base year is not yet past). \"At the target level\", \"on "
              "track\" and \"maintain progress\" count as a call that the target is met "
              "(probability 1), the other classes as not met (0); \"insufficient data\" makes "
              "no call. First table: "
              "on the unit's own record, with ktt's Brier score on exactly those calls "
              "and how often the target was met when the method said met or not. Second "
              "table: on the calibration suite, by kind of target (Brier skill against the "
              "base rate)."},
    "suite_without_official": {
        "vi": "Bộ kiểm định đã lưu chưa có các phương pháp xếp loại SDG: chạy lại "
              "`make calibration`.",
        "en": "The saved calibration suite predates the official classes: run "
              "`make calibration` again."},
    "side_on": {"vi": "đang đúng tiến độ", "en": "on track"},
    "side_off": {"vi": "chưa đúng tiến độ", "en": "off track"},
    "no_disagreement": {
        "vi": "Không có chỉ tiêu nào mà xếp loại của các phương pháp trái với xác suất đạt "
              "(đúng tiến độ nhưng xác suất dưới 0,33, hoặc chưa đúng tiến độ nhưng xác suất "
              "trên 0,66).",
        "en": "No class contradicts the probability (on track with a probability below "
              "0.33, or off track above 0.66)."},
    # the answer first: the conclusion, the target table in words, its legend
    "conclusion_heading": {"vi": "## Kết luận", "en": "## The answer"},
    # the counts of the targets met, missed and open, a zero left out: "2 đã đạt và 5 chưa rõ
    # kết quả", not "2 đã đạt, 0 không đạt và 5 chưa rõ kết quả"
    "conclusion_counts": {
        "vi": "Trong {n} chỉ tiêu của kế hoạch, {counts} (số liệu đến năm {as_of}).",
        "en": "Of the plan's {n} targets, {counts} (figures up to {as_of})."},
    "conclusion_all": {
        "vi": "Cả {n} chỉ tiêu của kế hoạch {status} (số liệu đến năm {as_of}).",
        "en": "All {n} of the plan's targets are {status} (figures up to {as_of})."},
    "conclusion_one": {
        "vi": "Chỉ tiêu duy nhất của kế hoạch {status} (số liệu đến năm {as_of}).",
        "en": "The plan's one target is {status} (figures up to {as_of})."},
    "and": {"vi": " và ", "en": " and "},
    "conclusion_hardest": {
        "vi": "Trong các chỉ tiêu chưa rõ kết quả, khó đạt nhất là {target}: xác suất đạt {p} "
              "({phrase}{notes}){pace}.",
        "en": "The hardest target still open, {target}, is {phrase} to be met ({p}{notes})"
              "{pace}."},
    # a pace is a change a year: said so, as the target table's heading says it
    "conclusion_pace": {"vi": "; nhịp độ mỗi năm gần đây {recent} so với nhịp độ cần đạt "
                              "{required}",
                        "en": ": a recent pace of {recent} a year against {required} required"},
    # one open target is neither the hardest nor the likeliest of anything: a 98 % called
    # "the hardest to meet" (Đắk Lắk's 7920, whose one target is open) read as bad news
    "conclusion_only_open": {
        "vi": "Chỉ tiêu chưa rõ kết quả là {target}: xác suất đạt {p} ({phrase}{notes}){pace}.",
        "en": "The target still open, {target}, is {phrase} to be met ({p}{notes}){pace}."},
    "conclusion_easiest": {
        "vi": "Dễ đạt nhất là {target}: xác suất đạt {p} ({phrase}{notes}).",
        "en": "The likeliest target still open, {target}, is {phrase} to be met ({p}{notes})."},
    "past_estimate": {"vi": "ước tính cho một năm đã qua", "en": "an estimate of a year past"},
    "sources_heading": {"vi": "## Nguồn số liệu", "en": "## Sources"},
    "models_heading": {"vi": "## Mô hình dự báo và tham số", "en": "## Models and parameters"},
    "sources_none": {"vi": "Không có số liệu nào ghi nguồn.", "en": "No figure cites a source."},
    "source_unknown": {"vi": "không có trong tệp sources.csv đặt cạnh tệp số liệu",
                       "en": "not in a sources.csv beside the data file"},
    "source_synthetic": {
        "vi": "ví dụ giả lập do ktt.inputs.synthetic tạo, không phải số liệu thực; các tham số "
              "sinh số liệu và lý do chọn chúng nằm trong tệp sources.csv đặt cạnh tệp số liệu",
        "en": "the synthetic example ktt.inputs.synthetic made, not a record; its generator's "
              "parameters and the reasons for them are in the sources.csv beside the data "
              "file"},
    "few_figures_one": {"vi": "chỉ dựa trên 1 số liệu", "en": "rests on 1 figure only"},
    "few_figures": {"vi": "chỉ dựa trên {n} số liệu", "en": "rests on {n} figures only"},
    "conclusion_all_decided": {"vi": "Số liệu đã có cho biết kết quả của mọi chỉ tiêu.",
                               "en": "The record decides every target."},
    "targets_heading": {"vi": "## Các chỉ tiêu", "en": "## The targets"},
    "answer": {"vi": "Kết quả", "en": "Answer"},
    "pace": {"vi": "Nhịp độ cần đạt / gần đây (mỗi năm)",
             "en": "Pace needed / recent (a year)"},
    # what CRPS is, for the model table and the backtest report; a share's is a fraction of
    # 1 where the report shows the share itself in percent
    "crps_meaning": {
        "vi": "CRPS (điểm xác suất xếp hạng liên tục) đo độ lệch của cả phân phối dự báo so "
              "với số liệu thực tế về sau, cùng đơn vị đo với chỉ số (chỉ số tỷ lệ tính bằng "
              "số thập phân: 0,05 tương ứng 5 điểm %); càng nhỏ càng tốt.",
        "en": "CRPS (continuous ranked probability score) measures how far a forecast's whole "
              "distribution was from what came true, in the indicator's unit (for a share, as "
              "a fraction of 1: 0.05 is 5 percentage points); lower is better."},
    "crps_scored": {
        "vi": "Mỗi mô hình được chấm trên các năm đã qua của chính đơn vị: dự báo lập tại một "
              "mốc (một năm đã qua), so với các năm sau đó.",
        "en": "Each model is scored on the unit's own past years: forecast from an origin "
              "year, compared with the years after it."},
    "reading_note": {
        "vi": "Xác suất đạt: tỷ lệ số lần chỉ tiêu đạt trong {n} lần mô phỏng diễn biến của "
              "chỉ số, mỗi lần theo nhịp độ và mức dao động hằng năm của chính số liệu đã có "
              "(20% là khoảng 1 lần trong 5). Khoảng dự báo 80%: cứ 10 lần mô phỏng thì có 8 "
              "lần số liệu năm mục tiêu nằm trong khoảng này.",
        "en": "Probability: the share of {n} simulated futures, each following the record's "
              "own pace and year-to-year swings, in which the target is met (20% is about 1 "
              "time in 5). 80% interval: the target year's figure falls in this range in 8 of "
              "10 simulated futures."},
    # what the calibration suite found, for the probabilities the report gives: its figures
    # when it was saved (reports/calibration/, `make calibration`), else its claim alone
    "calibration_found": {
        "vi": "Trên {districts} huyện giả lập đã biết kết quả (bộ kiểm định hiệu chuẩn), dự báo "
              "nêu xác suất bao nhiêu thì chỉ tiêu đạt với tần suất xấp xỉ bấy nhiêu: chênh lệch "
              "không quá {gap} điểm % ở mọi nhóm từ {least} dự báo trở lên, tính chung các loại "
              "chỉ tiêu (báo cáo kiểm định, make backtest).",
        "en": "On {districts} synthetic districts whose outcome is known (the calibration "
              "suite), calls of a given probability came true about that often: within {gap} "
              "points in every group of {least} calls or more, all kinds of target together "
              "(the backtest report, make backtest)."},
    "calibration_claim": {
        "vi": "Trên các huyện giả lập đã biết kết quả, dự báo nêu xác suất bao nhiêu thì chỉ "
              "tiêu đạt với tần suất xấp xỉ bấy nhiêu (báo cáo kiểm định).",
        "en": "On synthetic districts whose outcome is known, calls of a given probability came "
              "true about that often (the backtest report)."},
    # a pace that cannot be computed, after a slash, where "-" would read as a minus
    "no_pace": {"vi": "chưa đủ số liệu", "en": "not enough figures"},
    "no_year_to_pace": {"vi": "năm mục tiêu đã qua", "en": "target year past"},
    # an open target with no figure to forecast from, where "- · chưa rõ" and "- – -" said
    # nothing
    "no_probability": {"vi": "chưa rõ: chưa đủ số liệu để dự báo",
                       "en": "unknown: not enough figures to forecast"},
    "no_interval": {"vi": "chưa đủ số liệu để có khoảng dự báo",
                    "en": "not enough figures for an interval"},
    "pace_points": {"vi": "{points} điểm %", "en": "{points} pts"},
    "in_households": {"vi": " (≈ {households} hộ)", "en": " (≈ {households} households)"},
    "pace_note": {
        "vi": "Nhịp độ cần đạt: mức mỗi năm phải đạt (số thành lập mới) hoặc mức phải tăng "
              "thêm mỗi năm từ số liệu mới nhất đến năm mục tiêu (số hiện có; tỷ lệ, tính bằng "
              "điểm phần trăm). Nhịp độ gần đây: trung bình 3 số liệu cuối (số thành lập mới) "
              "hoặc mức tăng bình quân mỗi năm theo đường xu hướng của 5 số liệu cuối, hay của "
              "tất cả nếu chưa đủ 5 (số hiện có, tỷ lệ).",
        "en": "Pace needed: the level each year must reach (foundings), or the rise a year "
              "from the latest figure to the target year (stocks; shares, in percentage "
              "points). Recent pace: the mean of the last 3 figures (foundings), or the slope "
              "of the last 5, or of all there are when fewer (stocks, shares)."},
    # said only under a table that shows such brackets: a plan without a households' target
    # (1318/QĐ-TTg) was told of a share it does not have
    "households_note": {
        "vi": "Với tỷ lệ hộ tham gia, trong ngoặc là số hộ mỗi năm tương ứng, tính trên tổng số "
              "hộ nông dân của năm gần nhất có số liệu.",
        "en": "For the households' share, the brackets give the households a year it means, "
              "out of the farm households last on record."},
    "read_as": {"vi": "Cách đọc", "en": "Read as"},
    "plan_words": {"vi": "Nguyên văn kế hoạch", "en": "The plan's words"},
    "legend": {"vi": "Chú giải màu", "en": "Colours"},
    "phrases": {"vi": "Cách diễn đạt xác suất bằng lời", "en": "Probabilities in words"},
    # the colours by probability alone: named with the words of the phrases' scale, whose
    # ranges differ ("very unlikely" is 1-10 % there), a "< 1% · virtually impossible" cell
    # sat in a band called "very unlikely (< 10%)"
    "band_likely": {"vi": "chưa rõ kết quả, xác suất đạt từ 66% trở lên",
                    "en": "open, a probability of 66% or more"},
    "band_even": {"vi": "chưa rõ kết quả, xác suất đạt 33–66%",
                  "en": "open, a probability of 33–66%"},
    "band_unlikely": {"vi": "chưa rõ kết quả, xác suất đạt 10–33%",
                      "en": "open, a probability of 10–33%"},
    "band_very_unlikely": {"vi": "chưa rõ kết quả, xác suất đạt dưới 10%",
                           "en": "open, a probability under 10%"},
    "band_met": {"vi": "đã đạt (theo số liệu đã có)", "en": "met (decided by the record)"},
    "band_missed": {"vi": "không đạt (theo số liệu đã có)",
                    "en": "missed (decided by the record)"},
    "rule_each_year_at_least": {"vi": "mỗi năm {start}–{end} ít nhất {x}",
                                "en": "every year {start}–{end} at least {x}"},
    "rule_each_year_at_least_one": {"vi": "năm {end} ít nhất {x}", "en": "{end}: at least {x}"},
    "rule_mean_at_least": {"vi": "bình quân {start}–{end} ít nhất {x} mỗi năm",
                           "en": "on average {start}–{end} at least {x} a year"},
    "rule_above": {"vi": "năm {end} trên {x}", "en": "{end}: more than {x}"},
    "rule_at_least": {"vi": "năm {end} từ {x} trở lên", "en": "{end}: at least {x}"},
    "rule_below": {"vi": "năm {end} dưới {x}", "en": "{end}: less than {x}"},
    "rule_at_most": {"vi": "năm {end} không quá {x}", "en": "{end}: at most {x}"},
    "rule_between": {"vi": "năm {end} trong khoảng {x}–{y}", "en": "{end}: between {x} and {y}"},
    "rule_rising_strict": {"vi": "tăng dần qua các năm {start}–{end}",
                           "en": "rising every year {start}–{end}"},
    "rule_rising_trend": {"vi": "xu hướng tăng {start}–{end}",
                          "en": "an upward trend {start}–{end}"},
    "target_label": {"vi": "{indicator}, {end}", "en": "{indicator}, {end}"},
    "per_year": {"vi": "/năm", "en": "/year"},
    "synthetic_box": {
        "vi": "Các con số chỉ minh họa cách đọc báo cáo.",
        "en": "Its numbers only show how to read the report."},
    "synthetic_mark": {"vi": "SỐ LIỆU GIẢ LẬP — VÍ DỤ", "en": "SYNTHETIC FIGURES — EXAMPLE"},
    "provenance_heading": {"vi": "## Nguồn gốc báo cáo", "en": "## Provenance"},
    "sha256": {"vi": "Mã băm SHA-256", "en": "SHA-256"},
    "input_file": {"vi": "Tệp đầu vào", "en": "Input file"},
    # what each file read besides the data is (ktt.report.provenance.input_files' names)
    "input_plan": {"vi": "kế hoạch", "en": "plan"},
    "input_scenario": {"vi": "kịch bản", "en": "scenario"},
    "input_units": {"vi": "danh mục đơn vị hành chính", "en": "units table"},
    "input_published_record": {"vi": "số liệu đã công bố", "en": "published record"},
    "input_calibration": {"vi": "bộ kiểm định hiệu chuẩn", "en": "calibration"},
    "input_sources": {"vi": "danh mục nguồn", "en": "sources"},
    "input_own_sources": {"vi": "danh mục nguồn cạnh tệp số liệu",
                          "en": "sources beside the data file"},
    "used": {"vi": "dùng:", "en": "used:"},
    "rerun_command": {"vi": "Lệnh lập lại báo cáo", "en": "Command that writes it again"},
    "verify_command": {"vi": "Kiểm tra tái lập", "en": "Check that it reproduces"},
    "verify_how": {
        "vi": "lệnh ktt verify THƯ_MỤC, với THƯ_MỤC là thư mục chứa báo cáo này (như "
              "reports/baseline), chạy từ thư mục dự án: chạy lại báo cáo với các tham số trên, "
              "so sánh mã băm của các tệp đầu vào, phiên bản các gói và từng byte của báo cáo",
        "en": "ktt verify FOLDER, FOLDER the folder this report is in (such as "
              "reports/baseline), run from the project's folder: reruns it with the parameters "
              "above and compares the input files' hashes, the package versions and the report "
              "byte for byte"},
    "overridden": {
        "vi": "Đã thay so với kịch bản: {values}. Phần mô tả ở trên ghi theo giá trị của kịch "
              "bản; các con số dưới đây tính theo giá trị đã thay.",
        "en": "Changed from the scenario: {values}. The description above gives the "
              "scenario's own values; the numbers below follow the changed ones."},
    "baseline_rule": {"vi": "kịch bản cơ sở: {rule}", "en": "baseline: {rule}"},
    "override_value": {"vi": "{name} = {value} (kịch bản: {own})",
                       "en": "{name} = {value} (the scenario: {own})"},
    "parameters": {"vi": "Tham số", "en": "Parameters"},
    "versions": {"vi": "Phiên bản", "en": "Versions"},
    "code_commit": {"vi": "Mã nguồn: commit git cuối của ktt/, notebooks/ (-dirty: đã sửa sau "
                          "commit)",
                    "en": "Code: last git commit of ktt/, notebooks/ (-dirty: changed since)"},
    "alt_fan": {
        "vi": "Biểu đồ quạt, mỗi chỉ số một khung: số liệu đã có (đường đen), trung vị dự báo "
              "(nét đứt), khoảng dự báo 80% và 95% (vùng xanh) và mức chỉ tiêu (vạch đỏ) của "
              "{codes}.",
        "en": "Fan charts, one panel per indicator: the record (black line), the median "
              "forecast (dashed), the 80% and 95% bands (blue) and each target's level (red "
              "bar) of {codes}."},
    "alt_published": {
        "vi": "Số liệu của đơn vị (đường đen) đặt cạnh số liệu công bố của tỉnh và cả nước "
              "(điểm màu, ghi số thứ tự của nguồn) cho {codes}.",
        "en": "The unit's figures (black line) beside the published figures of the province "
              "and the country (coloured points labelled with their source's number) for "
              "{codes}."},
    "synthetic_alt": {"vi": " Vẽ từ số liệu giả lập.", "en": " Drawn from synthetic figures."},
    "alt_scores": {
        "vi": "Theo từng chỉ số: CRPS trung bình của mỗi mô hình theo số năm dự báo trước, và tỷ "
              "lệ bao phủ của khoảng dự báo 80% và 95% so với mức danh nghĩa.",
        "en": "Per indicator: each model's mean CRPS by years ahead, and the 80% and 95% "
              "interval coverage against the nominal levels."},
    "alt_reliability": {
        "vi": "Biểu đồ độ tin cậy: xác suất dự báo (trục ngang) so với tần suất đạt thực tế "
              "(trục dọc), của đơn vị này, mỗi điểm với vạch xám là phạm vi dự kiến nếu các xác "
              "suất là đúng, và của bộ kiểm định hiệu chuẩn theo nhóm chỉ tiêu. Điểm càng lớn thì "
              "gồm càng nhiều nhận định; trên đường chéo, tần suất đạt đúng bằng xác suất đã "
              "nêu.",
        "en": "Reliability diagram: predicted probability (across) against how often the "
              "target was met (up), for this unit, each point with a grey bar for its expected "
              "range if the probabilities were right, and for the calibration suite by kind of "
              "target. Larger points hold more calls; on the diagonal, calls came true as "
              "often as they said."},
    # reports/index.html, and atop every report the link to it (ktt.report.style)
    "index_link": {"vi": "← Mục lục các báo cáo", "en": "← Index of reports"},
    "index_title": {"vi": "Chỉ tiêu của từng kế hoạch: đã đạt, không đạt, hay xác suất đạt",
                    "en": "Each plan's targets: met, missed, or the probability of meeting "
                          "them"},
    "index_synthetic": {
        "vi": "các báo cáo có dấu này được lập từ ví dụ giả lập, các báo cáo khác từ số liệu "
              "đã công bố.",
        "en": "the reports marked so run on the synthetic example, the others on the "
              "published record."},
    "report_scenario": {"vi": "Báo cáo (kịch bản)", "en": "Report (scenario)"},
    "published_record": {"vi": "số liệu đã công bố", "en": "published record"},
    "own_record": {"vi": "số liệu từ tệp", "en": "figures from"},
    "scenarios_heading": {"vi": "Các kịch bản", "en": "Scenarios"},
    "not_rendered": {"vi": "chưa được lập ở đây", "en": "not rendered here"},
    "other_reports": {"vi": "Các báo cáo khác trong thư mục này",
                      "en": "Other reports in this folder"},
    "scenario_defaults": {
        "vi": "Các chỉ tiêu của kế hoạch theo cách đọc mặc định của kế hoạch, mô hình được chọn "
              "tự động, không có chính sách mới.",
        "en": "The plan's targets under its default readings, the model chosen automatically, "
              "no policy change."},
    "scenario_other_plan": {
        "vi": "Kịch bản {title}, xây dựng cho kế hoạch {written_for}, áp dụng cho kế hoạch "
              "{plan}: các tham số của kịch bản với cách đọc mặc định và số liệu của kế hoạch "
              "này.",
        "en": "The {title} scenario, written for {written_for}, on plan {plan}: its parameters "
              "with this plan's default readings and its data."},
    "scenario_heading": {"vi": "## Kịch bản: {title}", "en": "## Scenario: {title}"},
    "is_baseline": {"vi": "Đây là kịch bản cơ sở: các kịch bản khác được so với nó.",
                    "en": "This is the baseline: the other scenarios are compared with it."},
    "no_lever": {
        "vi": "Báo cáo này không dùng tham số kịch bản nào (số thành lập thêm, giải thể, số hộ "
              "vận động thêm, cách đọc chỉ tiêu) khác kịch bản cơ sở: các con số dưới đây là "
              "của kịch bản cơ sở.",
        "en": "This report sets none of the scenario's levers (extra foundings, dissolutions, "
              "extra households enrolled, readings of the plan) away from the baseline's: the "
              "numbers below are the baseline's."},
    "baseline_p": {"vi": "Cơ sở", "en": "Baseline"},
    "this_p": {"vi": "Kịch bản này", "en": "This scenario"},
    "change_p": {"vi": "Thay đổi", "en": "Change"},
    "change_points": {"vi": "{sign}{points} điểm %", "en": "{sign}{points} points"},
    "largest_change": {
        "vi": "Thay đổi lớn nhất so với kịch bản cơ sở: {target}, xác suất đạt từ {before} "
              "lên {after} ({change}).",
        "en": "The largest change against the baseline: {target}, from {before} to {after} "
              "({change})."},
    "largest_fall": {
        "vi": "Thay đổi lớn nhất so với kịch bản cơ sở: {target}, xác suất đạt từ {before} "
              "xuống {after} ({change}).",
        "en": "The largest change against the baseline: {target}, from {before} down to "
              "{after} ({change})."},
    "largest_change_decided": {
        "vi": "Thay đổi lớn nhất so với kịch bản cơ sở: {target}, từ {before} thành xác suất "
              "đạt {after}.",
        "en": "The largest change against the baseline: {target}, from {before} to a "
              "probability of {after}."},
    "read_here_as": {"vi": " (ở đây đọc là: {rule})", "en": " (read here as: {rule})"},
    "decided_otherwise": {
        "vi": "Số liệu đã có cho kết quả khác với kịch bản cơ sở: {flips}.",
        "en": "The record decides otherwise than in the baseline: {flips}."},
    "no_probability_change": {
        "vi": "Không chỉ tiêu nào đổi xác suất đạt quá 0,5 điểm % so với kịch bản cơ sở.",
        "en": "No target's probability moves by more than half a point against the baseline."},
    "forecast_move": {
        "vi": "Dự báo có thay đổi: {target}, trung vị dự báo từ {before} thành {after}, xác "
              "suất đạt vẫn là {p}.",
        "en": "The forecasts do move: {target}, its median from {before} to {after}, its "
              "probability still {p}."},
    "baseline_means": {
        "vi": "Kịch bản cơ sở: cùng số liệu, mô hình và số khởi tạo ngẫu nhiên (seed), không "
              "có tham số kịch bản (số thành lập thêm, giải thể, số hộ vận động thêm, cách đọc "
              "chỉ tiêu).",
        "en": "The baseline: the same data, models and seed, without this scenario's levers "
              "(extra foundings, dissolutions, extra households enrolled, readings of the plan)."},
    # the many-unit dashboard (ktt.report.units, notebooks/units.ipynb)
    "units_title": {"vi": "Tình hình thực hiện chỉ tiêu theo từng đơn vị",
                    "en": "Units against the plan's targets"},
    "units_count": {"vi": "Số đơn vị", "en": "Units"},
    # the synthetic box's first words on the dashboard: BANNER says "the district's", and the
    # dashboard's synthetic figures are many units', often communes
    "units_banner": {"vi": "VÍ DỤ GIẢ LẬP — không phải số liệu thực của đơn vị nào",
                     "en": "SYNTHETIC EXAMPLE — not any unit's record"},
    # in words: the generator's module is for the analyst (summary.json, README)
    "units_synthetic": {"vi": "{n} xã giả lập do ktt tạo ngẫu nhiên",
                        "en": "{n} synthetic communes drawn at random by ktt"},
    "units_as_of_each": {"vi": "năm cuối có số liệu của từng đơn vị",
                         "en": "each unit's last year on record"},
    "units_paths": {"vi": "Số lần mô phỏng", "en": "Simulated futures"},
    "units_grid_heading": {"vi": "Từng đơn vị, từng chỉ tiêu", "en": "Each unit, each target"},
    # the summary of the grid folded on a phone (ktt.report.units._fold)
    "units_grid_fold": {"vi": "Bảng chi tiết: {units} đơn vị, {targets} chỉ tiêu (bấm để mở "
                              "hoặc thu gọn)",
                        "en": "The full table: {units} units, {targets} targets (tap or click "
                              "to open or fold it)"},
    # a phone shows no hover text, not even on a tap: the legend says the same to every reader
    "units_grid_intro": {
        "vi": "Mỗi ô cho biết chỉ tiêu đã đạt hay không đạt theo số liệu đã có; với chỉ tiêu "
              "chưa rõ kết quả, ô ghi xác suất đạt. Chú giải bên dưới cho biết ý nghĩa của từng "
              "màu và cách diễn đạt xác suất bằng lời. Trên máy tính, đưa chuột lên tên chỉ "
              "tiêu để xem mã chỉ tiêu, lên ô để xem đánh giá bằng lời.",
        "en": "Each cell: the target met or missed on the record, or, when still open, the "
              "probability of meeting it; the legend below gives each colour's meaning and "
              "each probability's words. On a computer, hover over a target's name for its id, "
              "over a cell for the likelihood in words."},
    "units_ranking_heading": {"vi": "Các đơn vị chậm nhất so với nhịp độ cần đạt",
                              "en": "The units furthest behind the pace they need"},
    "units_ranking_intro": {
        "vi": "Với mỗi đơn vị, bảng nêu chỉ tiêu chưa rõ kết quả có nhịp độ gần đây thấp nhất "
              "so với nhịp độ cần đạt; hiển thị {shown} trong số {n} đơn vị có nhịp độ so sánh "
              "được, đơn vị chậm nhất xếp trước.",
        "en": "Each unit with its open target whose recent pace falls furthest short of the "
              "pace it needs; {shown} of the {n} units with a pace to compare, furthest behind "
              "first."},
    "units_need": {"vi": "Chỉ tiêu cần đẩy nhanh nhất", "en": "Target most in need"},
    "units_ratio": {"vi": "Nhịp độ gần đây so với nhịp độ cần đạt",
                    "en": "Recent pace against required"},
    "units_ratio_note": {
        "vi": "Nhịp độ gần đây so với nhịp độ cần đạt: từ 100% trở lên là đúng tiến độ; dưới "
              "0% là đang đi ngược chiều chỉ tiêu.",
        "en": "Recent pace against required: 100% or more is on course; below 0% moves away "
              "from the target."},
    "units_no_ranking": {
        "vi": "Không có đơn vị nào có chỉ tiêu chưa rõ kết quả với nhịp độ so sánh được.",
        "en": "No unit has an open target with a pace to compare."},
    "units_totals_heading": {"vi": "Tổng hợp theo đơn vị cấp trên",
                             "en": "Totals by parent unit"},
    "units_totals_intro": {
        "vi": "Mỗi ô cho biết số đơn vị đã đạt, không đạt và chưa rõ kết quả ở chỉ tiêu đó; "
              "với các đơn vị chưa rõ kết quả, ô ghi xác suất đạt trung bình của các đơn vị "
              "này.",
        "en": "Each cell: how many units have met the target, missed it, or still have it "
              "open; for the open ones, their mean probability of meeting it."},
    "units_parent": {"vi": "Đơn vị cấp trên", "en": "Parent unit"},
    "units_all": {"vi": "Tất cả các đơn vị", "en": "All units"},
    "units_no_parent": {"vi": "không có cấp trên trong bảng đơn vị",
                        "en": "no parent in the units table"},
    "units_open_mean": {"vi": "{n} chưa rõ kết quả, xác suất đạt trung bình {p}",
                        "en": "{n} open, mean probability {p}"},
    "units_open_one": {"vi": "1 chưa rõ kết quả, xác suất đạt {p}",
                       "en": "1 open, probability {p}"},
    "units_failures_heading": {"vi": "Đơn vị không dự báo được",
                               "en": "Units that could not be forecast"},
    "units_no_failure": {"vi": "Không có đơn vị nào bị lỗi: mọi đơn vị đều đã được dự báo.",
                         "en": "No unit failed: every unit was forecast."},
    "units_error": {"vi": "Lỗi (thông báo của ktt, bằng tiếng Anh)", "en": "Error"},
    # the backtest report's charts and tables in words (ktt.report.backtest)
    "coverage_short": {"vi": "tỷ lệ bao phủ", "en": "coverage"},
    # its tables (ktt.report.backtest.show): column headings, the rows' codes, yes or no, why
    # a skill score is left out, the calibration suite's processes
    "col_indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "col_model": {"vi": "Mô hình", "en": "Model"},
    "col_crps": {"vi": "CRPS trung bình", "en": "Mean CRPS"},
    "col_crps_h": {"vi": "CRPS năm thứ {h}", "en": "CRPS, year {h} ahead"},
    "col_abs_error": {"vi": "Sai số tuyệt đối", "en": "Absolute error"},
    "col_cover80": {"vi": "Tỷ lệ bao phủ của khoảng dự báo 80%",
                    "en": "80% interval coverage"},
    "col_cover95": {"vi": "Tỷ lệ bao phủ của khoảng dự báo 95%",
                    "en": "95% interval coverage"},
    "col_fallbacks": {"vi": "Số lần thay mô hình", "en": "Fallbacks"},
    "col_brier": {"vi": "Điểm Brier", "en": "Brier score"},
    "col_weight": {"vi": "Trọng số", "en": "Weight"},
    "col_chosen": {"vi": "Được dùng", "en": "Used"},
    "col_bin": {"vi": "Khoảng xác suất", "en": "Probability bin"},
    "col_n": {"vi": "Số nhận định", "en": "Calls"},
    "col_predicted": {"vi": "Xác suất nêu", "en": "Probability said"},
    "col_observed": {"vi": "Tần suất đạt", "en": "Share met"},
    "col_method": {"vi": "Phương pháp", "en": "Method"},
    "col_base_rate": {"vi": "Tần suất nền", "en": "Base rate"},
    "col_ktt_brier": {"vi": "Điểm Brier của ktt trên cùng nhận định",
                      "en": "ktt's Brier score on the same calls"},
    "col_said_met": {"vi": "Tỷ lệ nhận định đạt", "en": "Share said met"},
    "col_met_when_said": {"vi": "Tần suất đạt khi nhận định đạt", "en": "Met when said met"},
    "col_met_when_not": {"vi": "Tần suất đạt khi nhận định không đạt",
                         "en": "Met when said not met"},
    "col_target_family": {"vi": "Nhóm chỉ tiêu", "en": "Kind of target"},
    "col_bss": {"vi": "Điểm kỹ năng Brier", "en": "Brier skill score"},
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
    "all_indicators": {"vi": "Tất cả chỉ số", "en": "All indicators"},
    "family_all": {"vi": "tất cả các nhóm", "en": "all kinds"},
    "method_ktt": {"vi": "ktt (xác suất dự báo)", "en": "ktt (forecast probabilities)"},
    "skill_meaningless": {
        "vi": "\"-\" ở cột điểm kỹ năng: tần suất nền của nhóm {families} gần 0 hoặc 1 (gần "
              "như không bao giờ hoặc luôn luôn đạt), nên điểm kỹ năng so với tần suất nền "
              "không có ý nghĩa.",
        "en": "\"-\" in the skill column: the base rate of {families} is near 0 or 1 (almost "
              "never or almost always met), so skill against the base rate means nothing."},
    "process_steady": {"vi": "ổn định", "en": "steady"},
    "process_drifting": {"vi": "trôi dần", "en": "drifting"},
    "process_trending": {"vi": "theo xu hướng", "en": "trending"},
    "process_reverting": {"vi": "quay về mức", "en": "reverting"},
}

# the figures the shares and sums are made of, as the list of sources names each one
STRINGS.update({code: {"vi": vi, "en": en} for code, vi, en in (
    ("tht_new", "THT thành lập mới/năm", "New THT per year"),
    ("tht_dissolved", "THT giải thể/năm", "THT dissolved per year"),
    ("tht_active", "Số THT đang hoạt động", "THT active"),
    ("orgs_profitable", "Số HTX, THT hoạt động có lãi", "HTX and THT operating at a profit"),
    ("htx_rated_good", "Số HTX xếp loại khá, tốt", "HTX rated fair or good"),
    ("farm_households", "Tổng số hộ nông dân", "Farm households"),
    ("member_households", "Số hộ nông dân tham gia KTTT", "Farm households taking part"))})


def text(key: str, lang: str) -> str:
    """The string for ``key`` in ``lang`` (``vi`` or ``en``).

    Raises
    ------
    ValueError
        For a language other than ``vi`` or ``en``.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}'; valid: {', '.join(LANGS)}")
    return STRINGS[key][lang] if key in STRINGS else key


def model_words(model: str, lang: str) -> str:
    """A model's name in words of the report's language (``ktt.models.fit.MODELS``, a
    ``mixture``, or the pooled recent mean)."""
    return text(f"model_{model}", lang)


def family_word(family: str, lang: str) -> str:
    """A kind of target in the report's language (``formation`` -> ``thành lập mới``)."""
    key = f"family_{family}"
    return text(key, lang) if key in STRINGS else family  # an unknown kind keeps its code
